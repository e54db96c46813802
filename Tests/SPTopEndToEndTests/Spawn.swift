import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// posix_spawn for the test harness, shared by the tmux client runs and the child processes.
///
/// Not `Foundation.Process`, for two reasons found the hard way: its child keeps the signal mask
/// of the (Dispatch) thread that spawns it, so the tmux server forked from the client blocked
/// SIGCHLD and never saw a pane die; and Process notices an exit through a socket the
/// daemonised server inherited, so `waitUntilExit` never returned. Here the child gets an empty
/// signal mask and default signal actions.
enum Spawn {
  /// Starts `arguments` (the program found on PATH) with stdin read from `stdin` and stdout and
  /// stderr written to files; in a process group of its own when `newProcessGroup` (so a signal
  /// to -pid reaches everything it starts); with no descriptors beyond 0–2 when
  /// `closeOtherDescriptors`. Returns the pid, or nil when it could not start.
  static func start(
    _ arguments: [String], environment: [String], stdin: String, stdout: String, stderr: String,
    newProcessGroup: Bool = false, closeOtherDescriptors: Bool = false
  ) -> pid_t? {
    #if canImport(Glibc)
      var actions = posix_spawn_file_actions_t()
      var attributes = posix_spawnattr_t()
    #else
      var actions: posix_spawn_file_actions_t?
      var attributes: posix_spawnattr_t?
    #endif
    posix_spawn_file_actions_init(&actions)
    posix_spawnattr_init(&attributes)
    defer {
      posix_spawn_file_actions_destroy(&actions)
      posix_spawnattr_destroy(&attributes)
    }
    let create = O_WRONLY | O_CREAT | O_TRUNC
    posix_spawn_file_actions_addopen(&actions, 0, stdin, O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, stdout, create, 0o600)
    posix_spawn_file_actions_addopen(&actions, 2, stderr, create, 0o600)
    var flags = Int32(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF)
    if newProcessGroup {
      posix_spawnattr_setpgroup(&attributes, 0)
      flags |= Int32(POSIX_SPAWN_SETPGROUP)
    }
    if closeOtherDescriptors {
      #if canImport(Glibc)
        // Descriptors other tests' pipes left open without FD_CLOEXEC. (Closing one that is
        // gone by now is harmless.)
        let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        for fd in open.compactMap({ Int32($0) }) where fd > 2 {
          posix_spawn_file_actions_addclose(&actions, fd)
        }
      #else
        flags |= Int32(POSIX_SPAWN_CLOEXEC_DEFAULT)
      #endif
    }
    var signals = sigset_t()
    sigemptyset(&signals)
    posix_spawnattr_setsigmask(&attributes, &signals)
    sigfillset(&signals)
    posix_spawnattr_setsigdefault(&attributes, &signals)
    posix_spawnattr_setflags(&attributes, Int16(flags))

    let argv = arguments.map { strdup($0) } + [nil]
    let envp = environment.map { strdup($0) } + [nil]
    defer { (argv + envp).forEach { free($0) } }
    var pid = pid_t()
    guard posix_spawnp(&pid, arguments[0], &actions, &attributes, argv, envp) == 0 else {
      return nil
    }
    return pid
  }
}
