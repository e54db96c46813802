// Signal handling, stderr capture and byte accounting for the curses backend. The handlers only
// record numbers or write saved bytes, so all they call is async-signal-safe (sigaction, raise,
// write, read, lseek, dup2, tcsetattr, clock_gettime).
#include "CTerminalSupport.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

enum { quit_count = 4, crash_count = 6, restore_capacity = 512 };
static const int quit_signals[quit_count] = {SIGTERM, SIGHUP, SIGINT, SIGQUIT};
static const int crash_signals[crash_count] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP};
static struct sigaction previous_quit[quit_count];
static struct sigaction previous_crash[crash_count];
static struct sigaction previous_cont;
static struct sigaction previous_tstp;
static int tstp_installed = 0;
static int quit_installed = 0;
static int crash_installed = 0;

static volatile sig_atomic_t pending_signal = 0;
static volatile sig_atomic_t pending_since = 0;
static volatile sig_atomic_t continue_count = 0;
static volatile sig_atomic_t suspend_requested = 0;
static volatile sig_atomic_t restored = 0;

static int tty_fd = -1;
static int have_tty = 0;
static struct termios saved_tty;
static char restore_bytes[restore_capacity];
static size_t restore_length = 0;
static char alternate_stack[64 * 1024];
static int captured_fd = -1;  // unlinked temporary file standing in for fd 2
static int real_stderr = -1;  // the original fd 2
enum { replay_limit = 64 * 1024 };

// Points fd 2 back at the real stderr and writes it the last bytes captured (signal-safe).
static void replay_stderr(void) {
  if (captured_fd < 0 || real_stderr < 0) return;
  dup2(real_stderr, STDERR_FILENO);
  off_t end = lseek(captured_fd, 0, SEEK_END);
  if (end <= 0) return;
  lseek(captured_fd, end > replay_limit ? end - replay_limit : 0, SEEK_SET);
  char chunk[4096];
  ssize_t n;
  while ((n = read(captured_fd, chunk, sizeof chunk)) > 0) {
    ssize_t done = 0;
    while (done < n) {
      ssize_t w = write(STDERR_FILENO, chunk + done, (size_t)(n - done));
      if (w > 0) {
        done += w;
      } else if (w < 0 && errno == EINTR) {
        continue;
      } else {
        return;
      }
    }
  }
}

int spt_capture_stderr(void) {
  if (captured_fd >= 0 || !isatty(STDERR_FILENO)) return 0;
  const char *directory = getenv("TMPDIR");
  char path[4096];
  int length = snprintf(path, sizeof path, "%s/sptop-stderr-XXXXXX",
                        directory != NULL && directory[0] != '\0' ? directory : "/tmp");
  if (length < 0 || (size_t)length >= sizeof path) return -1;
  int fd = mkstemp(path);
  if (fd < 0) return -1;
  unlink(path);
  fcntl(fd, F_SETFD, FD_CLOEXEC);
  int saved = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
  if (saved < 0 || dup2(fd, STDERR_FILENO) < 0) {
    if (saved >= 0) close(saved);
    close(fd);
    return -1;
  }
  captured_fd = fd;
  real_stderr = saved;
  return 0;
}

void spt_release_stderr(void) {
  if (captured_fd < 0) return;
  replay_stderr();
  close(captured_fd);
  close(real_stderr);
  captured_fd = -1;
  real_stderr = -1;
}

static sig_atomic_t monotonic_seconds(void) {
  struct timespec now;
  if (clock_gettime(CLOCK_MONOTONIC, &now) != 0) return 0;
  return (sig_atomic_t)now.tv_sec;
}

// Puts back `previous` (SIG_DFL if it ignored the signal) for `sig`.
static void reinstate(int sig, const struct sigaction *previous) {
  struct sigaction action;
  if (previous != NULL && previous->sa_handler != SIG_IGN) {
    action = *previous;
  } else {
    memset(&action, 0, sizeof action);
    action.sa_handler = SIG_DFL;
    sigemptyset(&action.sa_mask);
  }
  sigaction(sig, &action, NULL);
}

static void reraise_with(int sig, const struct sigaction *previous) {
  reinstate(sig, previous);
  raise(sig);  // blocked while this handler runs; delivered with `previous` when it returns
}

void spt_emergency_restore(void) {
  if (restored || tty_fd < 0) return;
  restored = 1;
  size_t done = 0;
  while (done < restore_length) {
    ssize_t n = write(tty_fd, restore_bytes + done, restore_length - done);
    if (n > 0) {
      done += (size_t)n;
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else {
      break;
    }
  }
  if (have_tty) tcsetattr(tty_fd, TCSANOW, &saved_tty);
  replay_stderr();
}

static void on_quit(int sig) {
  int saved_errno = errno;
  if (pending_signal == 0) {
    pending_signal = sig;
    pending_since = monotonic_seconds();
  } else if (monotonic_seconds() - pending_since >= 2) {
    // The app has not acted on the first quit signal for two seconds: it is stuck.
    spt_emergency_restore();
    for (int i = 0; i < quit_count; i++) {
      if (quit_signals[i] == sig) reraise_with(sig, &previous_quit[i]);
    }
  }
  errno = saved_errno;
}

static void on_continue(int sig) {
  (void)sig;
  continue_count = continue_count + 1;
}

static void on_suspend(int sig) {
  (void)sig;
  suspend_requested = 1;
}

int spt_take_suspend_request(void) {
  if (!suspend_requested) return 0;
  suspend_requested = 0;
  return 1;
}

void spt_stop_self(void) {
  struct sigaction stop, ours;
  memset(&stop, 0, sizeof stop);
  stop.sa_handler = SIG_DFL;
  sigemptyset(&stop.sa_mask);
  if (sigaction(SIGTSTP, &stop, &ours) != 0) return;
  sigset_t tstp, previous_mask;
  sigemptyset(&tstp);
  sigaddset(&tstp, SIGTSTP);
  pthread_sigmask(SIG_UNBLOCK, &tstp, &previous_mask);
  // Sent to this process, taken by this thread (the first that does not block it): every
  // thread stops before kill returns, and runs again on SIGCONT.
  kill(getpid(), SIGTSTP);
  pthread_sigmask(SIG_SETMASK, &previous_mask, NULL);
  sigaction(SIGTSTP, &ours, NULL);
  suspend_requested = 0;
}

static void on_crash(int sig, siginfo_t *info, void *context) {
  (void)context;
  int saved_errno = errno;
  spt_emergency_restore();
  // A fault the kernel raised re-faults when the handler returns, reaching the previous handler
  // (SIG_DFL, or the Swift runtime's backtracer) with the true fault address. SIGTRAP is raised
  // again instead, since on x86 the trapping instruction (int3) is not executed twice.
  int refaults = info != NULL && info->si_code > 0 && sig != SIGTRAP && sig != SIGABRT;
  for (int i = 0; i < crash_count; i++) {
    if (crash_signals[i] != sig) continue;
    if (refaults) {
      reinstate(sig, &previous_crash[i]);
    } else {
      reraise_with(sig, &previous_crash[i]);
    }
  }
  errno = saved_errno;
}

int spt_install_quit_handlers(void) {
  if (quit_installed) return 0;
  pending_signal = 0;
  struct sigaction action;
  memset(&action, 0, sizeof action);
  action.sa_handler = on_quit;
  action.sa_flags = SA_RESTART;
  sigemptyset(&action.sa_mask);
  for (int i = 0; i < quit_count; i++) sigaddset(&action.sa_mask, quit_signals[i]);
  for (int i = 0; i < quit_count; i++) {
    if (sigaction(quit_signals[i], NULL, &previous_quit[i]) != 0) return -1;
    if (previous_quit[i].sa_handler == SIG_IGN) continue;  // e.g. SIGHUP under nohup
    if (sigaction(quit_signals[i], &action, NULL) != 0) return -1;
  }
  action.sa_handler = on_continue;
  sigemptyset(&action.sa_mask);
  if (sigaction(SIGCONT, &action, &previous_cont) != 0) return -1;
  suspend_requested = 0;
  tstp_installed = 0;
  if (sigaction(SIGTSTP, NULL, &previous_tstp) == 0 && previous_tstp.sa_handler != SIG_IGN) {
    action.sa_handler = on_suspend;
    if (sigaction(SIGTSTP, &action, NULL) != 0) return -1;
    tstp_installed = 1;
  }
  quit_installed = 1;
  return 0;
}

int spt_save_tty(int fd) {
  tty_fd = fd;
  have_tty = tcgetattr(fd, &saved_tty) == 0;
  return have_tty ? 0 : -1;
}

int spt_keys_as_input(int fd) {
  struct termios mode;
  if (tcgetattr(fd, &mode) != 0) return -1;
  mode.c_cc[VINTR] = _POSIX_VDISABLE;
  mode.c_cc[VQUIT] = _POSIX_VDISABLE;
  mode.c_iflag &= ~(tcflag_t)(IXON | IXOFF);
  mode.c_lflag &= ~(tcflag_t)IEXTEN;
  mode.c_lflag |= ISIG;
  return tcsetattr(fd, TCSANOW, &mode);
}

int spt_install_crash_handlers(const char *restore, size_t length) {
  if (crash_installed) return 0;
  if (length > restore_capacity) length = restore_capacity;
  memcpy(restore_bytes, restore, length);
  restore_length = length;
  restored = 0;

  // An alternate stack lets the handler run after a stack overflow on this (the main) thread.
  stack_t current;
  if (sigaltstack(NULL, &current) == 0 && (current.ss_flags & SS_DISABLE)) {
    stack_t stack = {.ss_sp = alternate_stack, .ss_size = sizeof alternate_stack, .ss_flags = 0};
    sigaltstack(&stack, NULL);
  }
  struct sigaction action;
  memset(&action, 0, sizeof action);
  action.sa_sigaction = on_crash;
  action.sa_flags = SA_ONSTACK | SA_SIGINFO;
  sigfillset(&action.sa_mask);
  for (int i = 0; i < crash_count; i++) {
    if (sigaction(crash_signals[i], &action, &previous_crash[i]) != 0) return -1;
  }
  crash_installed = 1;
  return 0;
}

void spt_restore_handlers(void) {
  if (crash_installed) {
    for (int i = 0; i < crash_count; i++) sigaction(crash_signals[i], &previous_crash[i], NULL);
    crash_installed = 0;
  }
  if (quit_installed) {
    for (int i = 0; i < quit_count; i++) {
      if (previous_quit[i].sa_handler == SIG_IGN) continue;
      sigaction(quit_signals[i], &previous_quit[i], NULL);
    }
    sigaction(SIGCONT, &previous_cont, NULL);
    if (tstp_installed) sigaction(SIGTSTP, &previous_tstp, NULL);
    tstp_installed = 0;
    quit_installed = 0;
  }
  tty_fd = -1;
  restore_length = 0;
}

int spt_pending_signal(void) { return pending_signal; }

long spt_continue_count(void) { return continue_count; }

int spt_open_thread_io(void) { return open("/proc/thread-self/io", O_RDONLY | O_CLOEXEC); }

long long spt_thread_bytes_written(int fd) {
  if (fd < 0) return -1;
  char text[512];
  ssize_t n = pread(fd, text, sizeof text - 1, 0);
  if (n <= 0) return -1;
  text[n] = '\0';
  const char *field = strstr(text, "wchar:");
  if (field == NULL) return -1;
  return strtoll(field + 6, NULL, 10);
}
