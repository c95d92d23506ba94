// Runs Graphviz's `dot` without a shell: posix_spawnp with an argument
// vector, the DOT text and the image in a private temporary directory, and
// dot's messages (stdout and stderr) read from one pipe. Files rather than
// stdin/stdout pipes mean one pipe to drain and no SIGPIPE when dot stops
// reading early.
#include "graphviz.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <vector>

#include "keras/error.hpp"
#include "keras/serialize/files.hpp"

extern char** environ;

namespace keras::utils::detail {

namespace {

// A directory only this process uses, removed with everything in it.
class TemporaryDirectory {
 public:
  TemporaryDirectory() {
    std::string pattern = (std::filesystem::temp_directory_path() / "keras_plot_XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {
      throw Error(fmt::format("plot_model: cannot create a temporary directory '{}': {}", pattern,
                              std::strerror(errno)));
    }
    path_ = pattern;
  }
  ~TemporaryDirectory() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TemporaryDirectory(const TemporaryDirectory&) = delete;
  TemporaryDirectory& operator=(const TemporaryDirectory&) = delete;
  std::string operator/(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

struct Pipe {
  std::array<int, 2> fds = {-1, -1};
  Pipe() {
    if (::pipe2(fds.data(), O_CLOEXEC) != 0) {
      throw Error(
          fmt::format("plot_model: cannot create a pipe to run dot: {}", std::strerror(errno)));
    }
  }
  ~Pipe() {
    for (int fd : fds) {
      if (fd >= 0) ::close(fd);
    }
  }
  Pipe(const Pipe&) = delete;
  Pipe& operator=(const Pipe&) = delete;
  void close_write_end() {
    ::close(fds[1]);
    fds[1] = -1;
  }
};

struct Finished {
  int status;
  std::string messages;
};

// Runs argv[0] found on PATH, stdin from /dev/null, stdout and stderr
// collected; ENOENT when there is no such program.
Finished run_program(const std::vector<std::string>& arguments, int& spawn_error) {
  Pipe pipe;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, pipe.fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, pipe.fds[1], STDERR_FILENO);
  std::vector<char*> argv;
  for (const std::string& a : arguments) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = 0;
  spawn_error = ::posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawn_error != 0) return {-1, ""};
  pipe.close_write_end();
  std::string messages;
  std::array<char, 4096> buffer{};
  for (;;) {
    const ssize_t n = ::read(pipe.fds[0], buffer.data(), buffer.size());
    if (n > 0) {
      messages.append(buffer.data(), static_cast<std::size_t>(n));
    } else if (n == 0 || errno != EINTR) {
      break;
    }
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return {status, messages};
}

}  // namespace

std::string render_dot(const std::string& dot_text, const std::string& format,
                       const std::string& destination) {
  const TemporaryDirectory directory;
  const std::string input = directory / "model.dot";
  const std::string output = directory / ("model." + format);
  serialize::write_file_atomically(input, dot_text);
  int spawn_error = 0;
  const Finished run = run_program({"dot", "-T" + format, "-o", output, input}, spawn_error);
  if (spawn_error == ENOENT) {
    throw Error(fmt::format(
        "plot_model: writing '{}' needs Graphviz's `dot` program, which is not on PATH: install "
        "Graphviz (apt-get install graphviz), or write a .dot file instead, which needs nothing",
        destination));
  }
  if (spawn_error != 0) {
    throw Error(fmt::format("plot_model: cannot run Graphviz's `dot` to write '{}': {}",
                            destination, std::strerror(spawn_error)));
  }
  if (!WIFEXITED(run.status) || WEXITSTATUS(run.status) != 0) {
    const std::string how = WIFEXITED(run.status)
                                ? fmt::format("exited with status {}", WEXITSTATUS(run.status))
                                : fmt::format("was killed by signal {}", WTERMSIG(run.status));
    std::string message = run.messages;
    while (!message.empty() && std::isspace(static_cast<unsigned char>(message.back()))) {
      message.pop_back();
    }
    throw Error(fmt::format("plot_model: Graphviz's `dot -T{}` {} while writing '{}': {}", format,
                            how, destination, message.empty() ? "(no message)" : message));
  }
  return serialize::read_file(output);
}

}  // namespace keras::utils::detail
