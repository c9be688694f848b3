// Reusable scratch vectors for hot paths: a Scratch<T> borrows a cleared
// std::vector<T> from a per-thread pool and gives it back when it goes out
// of scope, so a step that needs a temporary list allocates only the first
// time. Safe under re-entry (each borrow gets its own vector).
//
//   Scratch<RuleId> why;
//   M::Refusals(s, op, *why);
#ifndef HASPEC_MODEL_CORE_SCRATCH_H_
#define HASPEC_MODEL_CORE_SCRATCH_H_

#include <memory>
#include <vector>

namespace haspec {

template <class T>
class Scratch {
 public:
  Scratch() {
    auto& pool = Pool();
    if (pool.empty()) {
      v_ = std::make_unique<std::vector<T>>();
    } else {
      v_ = std::move(pool.back());
      pool.pop_back();
      v_->clear();
    }
  }
  ~Scratch() { Pool().push_back(std::move(v_)); }
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;

  std::vector<T>& operator*() { return *v_; }
  std::vector<T>* operator->() { return v_.get(); }

 private:
  static std::vector<std::unique_ptr<std::vector<T>>>& Pool() {
    thread_local std::vector<std::unique_ptr<std::vector<T>>> pool;
    return pool;
  }
  std::unique_ptr<std::vector<T>> v_;
};

}  // namespace haspec

#endif  // HASPEC_MODEL_CORE_SCRATCH_H_
