#include "sut/protocol/client.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

namespace haspec::sut {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

int Remaining(Clock::time_point deadline) {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return ms < 0 ? 0 : static_cast<int>(ms);
}

void SetNonBlocking(int fd) { fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK); }

}  // namespace

Process::Process(const std::vector<std::string>& argv, const ClientOptions& opt) : opt_(opt) {
  if (argv.empty()) throw SutError("empty --sut command");
  what_ = argv[0];
  // A child that dies must not take haspec with it through SIGPIPE.
  signal(SIGPIPE, SIG_IGN);
  int in[2], out[2], err[2], exec_err[2];
  if (pipe(in) || pipe(out) || pipe(err) || pipe(exec_err)) {
    throw SutError(std::string("cannot create pipes: ") + std::strerror(errno));
  }
  fcntl(exec_err[1], F_SETFD, FD_CLOEXEC);
  pid_ = fork();
  if (pid_ < 0) throw SutError(std::string("cannot fork: ") + std::strerror(errno));
  if (pid_ == 0) {
    // Its own process group, so that stopping it also stops what it started.
    setpgid(0, 0);
    dup2(in[0], 0);
    dup2(out[1], 1);
    dup2(err[1], 2);
    for (int fd : {in[0], in[1], out[0], out[1], err[0], err[1], exec_err[0]}) close(fd);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execvp(args[0], args.data());
    int e = errno;
    (void)!write(exec_err[1], &e, sizeof e);
    _exit(127);
  }
  setpgid(pid_, pid_);
  close(in[0]);
  close(out[1]);
  close(err[1]);
  close(exec_err[1]);
  in_ = in[1];
  out_ = out[0];
  err_ = err[0];
  int e = 0;  // errno of a failed exec, sent by the child
  ssize_t n = read(exec_err[0], &e, sizeof e);
  close(exec_err[0]);
  if (n == sizeof e) {
    Stop();
    throw SutError("cannot start " + what_ + ": " + std::strerror(e));
  }
  SetNonBlocking(in_);
  SetNonBlocking(out_);
  SetNonBlocking(err_);
}

Process::~Process() { Stop(); }

void Process::WriteLine(const std::string& line) {
  std::string data = line + "\n";
  std::size_t done = 0;
  auto deadline = Clock::now() + std::chrono::milliseconds(opt_.timeout_ms);
  while (done < data.size()) {
    ssize_t n = write(in_, data.data() + done, data.size() - done);
    if (n > 0) {
      done += static_cast<std::size_t>(n);
      continue;
    }
    if (n < 0 && errno == EPIPE) {
      throw SutError(what_ + " closed its input (" + ExitDescription() + ")");
    }
    if (n < 0 && errno != EAGAIN && errno != EINTR) {
      throw SutError(what_ + ": cannot write a request: " + std::strerror(errno));
    }
    if (Remaining(deadline) == 0) {
      throw SutError(what_ + " stopped reading its input for " + std::to_string(opt_.timeout_ms) +
                     " ms");
    }
    pollfd p{in_, POLLOUT, 0};
    poll(&p, 1, std::min(Remaining(deadline), 50));
    Pump(0);  // keep stderr drained so the child cannot block on it
  }
}

void Process::Pump(int timeout_ms) {
  pollfd fds[2];
  int n = 0;
  if (!out_eof_) fds[n++] = {out_, POLLIN, 0};
  if (!err_eof_) fds[n++] = {err_, POLLIN, 0};
  if (n == 0) return;
  if (poll(fds, n, timeout_ms) <= 0) return;
  char buf[65536];
  for (int i = 0; i < n; ++i) {
    if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
    const bool is_out = fds[i].fd == out_;
    for (;;) {
      ssize_t r = read(fds[i].fd, buf, sizeof buf);
      if (r > 0) {
        if (is_out) {
          out_buf_.append(buf, static_cast<std::size_t>(r));
          if (out_buf_.size() > opt_.max_line + 1 && out_buf_.find('\n') == std::string::npos) {
            return;  // ReadLine reports the oversized line
          }
        } else {
          err_buf_.append(buf, static_cast<std::size_t>(r));
          std::size_t pos;
          while ((pos = err_buf_.find('\n')) != std::string::npos) {
            err_lines_.push_back(err_buf_.substr(0, std::min<std::size_t>(pos, 500)));
            err_buf_.erase(0, pos + 1);
            if (err_lines_.size() > opt_.stderr_lines) err_lines_.pop_front();
          }
          if (err_buf_.size() > 4096) err_buf_.erase(0, err_buf_.size() - 500);
        }
        continue;
      }
      if (r == 0) (is_out ? out_eof_ : err_eof_) = true;
      break;  // EAGAIN or EOF
    }
  }
}

std::string Process::ReadLine() {
  auto deadline = Clock::now() + std::chrono::milliseconds(opt_.timeout_ms);
  for (;;) {
    auto pos = out_buf_.find('\n');
    if (pos != std::string::npos) {
      if (pos > opt_.max_line) {
        throw SutError(what_ + " wrote a reply line of " + std::to_string(pos) +
                       " bytes (at most " + std::to_string(opt_.max_line) + ")");
      }
      std::string line = out_buf_.substr(0, pos);
      out_buf_.erase(0, pos + 1);
      return line;
    }
    if (out_buf_.size() > opt_.max_line) {
      throw SutError(what_ + " wrote more than " + std::to_string(opt_.max_line) +
                     " bytes without ending the reply line");
    }
    if (out_eof_) {
      if (!out_buf_.empty()) {
        throw SutError(what_ + " ended its output in the middle of a line (" + ExitDescription() +
                       "): \"" + out_buf_.substr(0, 200) + "\"");
      }
      throw SutError(what_ + " ended its output before replying (" + ExitDescription() + ")");
    }
    int left = Remaining(deadline);
    if (left == 0) {
      throw SutError(what_ + " did not reply within " + std::to_string(opt_.timeout_ms) + " ms");
    }
    Pump(std::min(left, 100));
  }
}

std::string Process::ExitDescription() {
  if (!reaped_) {
    // Give a child that closed its output a moment to exit.
    for (int i = 0; i < 20 && !reaped_; ++i) {
      if (waitpid(pid_, &status_, WNOHANG) == pid_) {
        reaped_ = true;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
  if (!reaped_) return "still running";
  if (WIFEXITED(status_)) return "exited with status " + std::to_string(WEXITSTATUS(status_));
  if (WIFSIGNALED(status_)) {
    return std::string("killed by signal ") + std::to_string(WTERMSIG(status_)) + " (" +
           strsignal(WTERMSIG(status_)) + ")";
  }
  return "ended";
}

void Process::Finish() {
  if (in_ >= 0) {
    close(in_);
    in_ = -1;
  }
  auto deadline = Clock::now() + std::chrono::milliseconds(opt_.kill_grace_ms);
  while (!reaped_ && Remaining(deadline) > 0) {
    Pump(10);
    if (waitpid(pid_, &status_, WNOHANG) == pid_) reaped_ = true;
  }
  Stop();
}

void Process::Stop() {
  if (in_ >= 0) close(in_);
  in_ = -1;
  if (pid_ > 0 && !reaped_) {
    kill(-pid_, SIGTERM);
    auto deadline = Clock::now() + std::chrono::milliseconds(opt_.kill_grace_ms);
    while (Remaining(deadline) > 0) {
      if (waitpid(pid_, &status_, WNOHANG) == pid_) {
        reaped_ = true;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    if (!reaped_) {
      kill(-pid_, SIGKILL);
      waitpid(pid_, &status_, 0);
      reaped_ = true;
    }
  }
  // Whatever else is left in its group (children it started) goes too.
  if (pid_ > 0) kill(-pid_, SIGKILL);
  for (int* fd : {&out_, &err_}) {
    if (*fd >= 0) close(*fd);
    *fd = -1;
  }
}

std::string Process::StderrTail() const {
  std::string out;
  for (const auto& l : err_lines_) out += "    " + l + "\n";
  if (!err_buf_.empty()) out += "    " + err_buf_.substr(0, 500) + "\n";
  return out;
}

Client::Client(std::vector<std::string> argv, ClientOptions opt)
    : argv_(std::move(argv)), opt_(opt) {}

void Client::Fail(const std::string& what) {
  std::string tail = StderrTail();
  proc_.reset();
  throw SutError(what + (tail.empty() ? "" : "\n  last stderr lines:\n" + tail));
}

json Client::Request(const json& msg, const std::string& want_type) {
  try {
    proc_->WriteLine(msg.dump());
  } catch (const SutError& e) {
    tail_ = proc_->StderrTail();
    Fail(e.what());
  }
  return Receive(want_type);
}

std::string Client::ReadReplyLine() {
  try {
    return proc_->ReadLine();
  } catch (const SutError& e) {
    tail_ = proc_->StderrTail();
    Fail(e.what());
  }
}

json Client::Receive(const std::string& want_type) { return Check(ReadReplyLine(), want_type); }

json Client::Check(const std::string& line, const std::string& want_type) {
  try {
    return ParseReplyLine(line, want_type);
  } catch (const SutError& e) {
    Fail(e.what());
  }
}

HelloReply Client::Hello(const std::string& machine, const json& config) {
  if (!proc_) proc_ = std::make_unique<Process>(argv_, opt_);
  json r = Request({{"type", "hello"}, {"protocol", 1}, {"machine", machine}, {"config", config}},
                   "hello");
  try {
    return HelloFromReply(r, machine);
  } catch (const SutError& e) {
    Fail(e.what());
  }
}

json Client::Reset(const json& config) {
  return ReadyObservation(Request({{"type", "reset"}, {"config", config}}, "ready"));
}

Reply Client::Apply(const json& op, long seq) {
  json r = Request({{"type", "op"}, {"seq", seq}, {"op", op}}, "result");
  try {
    return ResultFromReply(std::move(r), seq);
  } catch (const SutError& e) {
    Fail(e.what());
  }
}

Reply Client::ReceiveResult(long seq) {
  std::string line = ReadReplyLine();
  try {
    return ParseResultLine(std::move(line), seq);
  } catch (const SutError& e) {
    Fail(e.what());
  }
}

void Client::ApplyMany(const std::vector<std::string>& ops, long first_seq, std::size_t window,
                       const ReplyHandler& on_reply) {
  Pipeline(nullptr, ops, first_seq, window, nullptr, on_reply);
}

void Client::ResetThenApplyMany(const json& config, const std::vector<std::string>& ops,
                                long first_seq, std::size_t window, const ReadyHandler& on_ready,
                                const ReplyHandler& on_reply) {
  const std::string reset = json{{"type", "reset"}, {"config", config}}.dump();
  Pipeline(&reset, ops, first_seq, window, &on_ready, on_reply);
}

void Client::Pipeline(const std::string* reset, const std::vector<std::string>& ops, long first_seq,
                      std::size_t window, const ReadyHandler* on_ready,
                      const ReplyHandler& on_reply) {
  window = std::max<std::size_t>(window, 1);
  std::size_t sent = 0, got = 0;
  bool more = true;  // the handler still wants replies
  std::string batch;
  if (reset) batch = *reset + "\n";
  for (bool first = true;; first = false) {
    // Keep up to `window` requests in flight, topped up in one write once
    // half of them are answered (one write per op would cost a system call
    // and a wake-up of the implementation each). The reset goes out with
    // the first ops.
    while (more && sent < ops.size() && sent - got < window &&
           (sent - got <= window / 2 || !batch.empty())) {
      // {"type":"op","seq":N,"op":{...}} without building a document.
      batch += "{\"type\":\"op\",\"seq\":";
      batch += std::to_string(first_seq + static_cast<long>(sent));
      batch += ",\"op\":";
      batch += ops[sent];
      batch += "}\n";
      ++sent;
    }
    if (!batch.empty()) {
      batch.pop_back();  // WriteLine adds the last newline
      try {
        proc_->WriteLine(batch);
      } catch (const SutError& e) {
        tail_ = proc_->StderrTail();
        Fail(e.what());
      }
      batch.clear();
    }
    if (first && reset) {
      json obs = ReadyObservation(Receive("ready"));
      more = (*on_ready)(obs);
    }
    // Replies to requests already sent are read (and dropped once the
    // handler has stopped) so that the next request meets a clean stream.
    if (got == sent) break;
    Reply r = ReceiveResult(first_seq + static_cast<long>(got));
    if (more) more = on_reply(got, r);
    ++got;
  }
}

void Client::Close() {
  if (!proc_) return;
  try {
    proc_->WriteLine(json{{"type", "bye"}}.dump());
  } catch (const SutError&) {
  }
  proc_->Finish();
  tail_ = proc_->StderrTail();
  proc_.reset();
}

void Client::Restart() {
  proc_.reset();
  proc_ = std::make_unique<Process>(argv_, opt_);
}

std::vector<std::string> SplitCommand(const std::string& command) {
  std::vector<std::string> out;
  std::string cur;
  bool in_word = false;
  char quote = 0;
  for (std::size_t i = 0; i < command.size(); ++i) {
    char c = command[i];
    if (quote == '\'') {
      if (c == '\'') {
        quote = 0;
      } else {
        cur += c;
      }
    } else if (quote == '"') {
      if (c == '"') {
        quote = 0;
      } else if (c == '\\' && i + 1 < command.size() &&
                 (command[i + 1] == '"' || command[i + 1] == '\\')) {
        cur += command[++i];
      } else {
        cur += c;
      }
    } else if (c == '\'' || c == '"') {
      quote = c;
      in_word = true;
    } else if (c == '\\' && i + 1 < command.size()) {
      cur += command[++i];
      in_word = true;
    } else if (c == ' ' || c == '\t' || c == '\n') {
      if (in_word) out.push_back(cur);
      cur.clear();
      in_word = false;
    } else {
      cur += c;
      in_word = true;
    }
  }
  if (quote) throw std::invalid_argument("unterminated quote in command: " + command);
  if (in_word) out.push_back(cur);
  return out;
}

}  // namespace haspec::sut
