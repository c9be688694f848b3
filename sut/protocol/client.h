// haspec's side of the SUT protocol (docs/sut-protocol.md): starts an
// implementation as a child process and exchanges JSON lines with it, never
// trusting it. Every failure (a crash, a hang, garbage, a partial or
// oversized line, an error reply, the wrong protocol or machine, an early
// exit) becomes a SutError naming what happened and the last lines the
// child wrote on stderr, within a bounded time, and the child is always
// stopped and reaped.
//
//   Client c({"build/default/sut/dsm/haspec-ref-dsm"}, {.timeout_ms = 10000});
//   Hello h = c.Hello("dsm", config_json);
//   nlohmann::json obs = c.Reset(config_json);
//   Reply r = c.Apply(op_json, 1);
#ifndef HASPEC_SUT_PROTOCOL_CLIENT_H_
#define HASPEC_SUT_PROTOCOL_CLIENT_H_

#include <sys/types.h>

#include <deque>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "sut/protocol/reply.h"

namespace haspec::sut {

struct ClientOptions {
  int timeout_ms = 10'000;         // per reply
  std::size_t max_line = 1 << 20;  // a longer reply line is an error
  std::size_t stderr_lines = 20;   // kept for error reports
  int kill_grace_ms = 1'000;       // after SIGTERM, before SIGKILL
};

// A child process with pipes to its stdin, stdout and stderr.
class Process {
 public:
  Process(const std::vector<std::string>& argv, const ClientOptions& opt);
  ~Process();  // stops (SIGTERM, then SIGKILL) and reaps the child
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  void WriteLine(const std::string& line);
  // One line from stdout (without '\n'); throws SutError on timeout, end of
  // output (with the exit status), or a line over max_line.
  std::string ReadLine();
  // Closes stdin and waits up to the timeout for a clean exit; then stops it.
  void Finish();
  std::string StderrTail() const;
  pid_t pid() const { return pid_; }

 private:
  void Pump(int timeout_ms);  // reads what is available on stdout / stderr
  std::string ExitDescription();
  void Stop();

  ClientOptions opt_;
  std::string what_;  // argv[0], for messages
  pid_t pid_ = -1;
  int in_ = -1, out_ = -1, err_ = -1;
  std::string out_buf_, err_buf_;
  std::deque<std::string> err_lines_;
  bool out_eof_ = false, err_eof_ = false, reaped_ = false;
  int status_ = 0;
};

// The protocol over a Process.
class Client {
 public:
  Client(std::vector<std::string> argv, ClientOptions opt = {});

  HelloReply Hello(const std::string& machine, const nlohmann::json& config);
  // The initial observation (null when none was reported).
  nlohmann::json Reset(const nlohmann::json& config);
  Reply Apply(const nlohmann::json& op, long seq);
  // Called with each reply in order (index into ops), which it may move
  // from; returns false once it wants no more.
  using ReplyHandler = std::function<bool(std::size_t, Reply&)>;
  // Applies ops (each the op's JSON text, as in the machine's op reference)
  // with up to `window` requests in flight (pipelined: the implementation
  // answers each in order, as it reads them), numbered from first_seq.
  // After the handler returns false no more are sent, and replies already
  // on their way are read and dropped. A reply's observation comes back as
  // observation_text.
  void ApplyMany(const std::vector<std::string>& ops, long first_seq, std::size_t window,
                 const ReplyHandler& on_reply);
  // Called with the initial observation (null when none), which it may move
  // from; returns false when the run is already over.
  using ReadyHandler = std::function<bool(nlohmann::json&)>;
  // A reset to `config`, then ops as ApplyMany applies them, the reset and
  // the first ops written together (a run costs no round trip of its own).
  // When on_ready returns false no op reply reaches on_reply.
  void ResetThenApplyMany(const nlohmann::json& config, const std::vector<std::string>& ops,
                          long first_seq, std::size_t window, const ReadyHandler& on_ready,
                          const ReplyHandler& on_reply);
  // Says bye and lets the child exit (restarting it on the next Hello).
  void Close();
  // Kills and restarts the child (for implementations that cannot reset).
  void Restart();
  std::string StderrTail() const { return proc_ ? proc_->StderrTail() : tail_; }

 private:
  nlohmann::json Request(const nlohmann::json& msg, const std::string& want_type);
  nlohmann::json Receive(const std::string& want_type);
  std::string ReadReplyLine();
  // Parses a reply line and checks its type (an error reply fails).
  nlohmann::json Check(const std::string& line, const std::string& want_type);
  void Pipeline(const std::string* reset, const std::vector<std::string>& ops, long first_seq,
                std::size_t window, const ReadyHandler* on_ready, const ReplyHandler& on_reply);
  // A "result" line, its observation left as text when it can be cut out.
  Reply ReceiveResult(long seq);
  [[noreturn]] void Fail(const std::string& what);

  std::vector<std::string> argv_;
  ClientOptions opt_;
  std::unique_ptr<Process> proc_;
  std::string tail_;
};

// Splits a command line into arguments the way a POSIX shell would for
// plain words, single and double quotes and backslashes (no expansions).
// Throws std::invalid_argument on an unterminated quote.
std::vector<std::string> SplitCommand(const std::string& command);

}  // namespace haspec::sut

#endif  // HASPEC_SUT_PROTOCOL_CLIENT_H_
