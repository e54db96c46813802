#ifndef SPTOP_CTERMINALSUPPORT_H
#define SPTOP_CTERMINALSUPPORT_H
// Async-signal-safe signal handling, stderr capture and byte accounting for the curses backend (SPCurses).
#include <stddef.h>

/// Installs quit handlers (SIGTERM, SIGHUP, SIGINT, SIGQUIT: record the number), a SIGCONT
/// counter and a SIGTSTP (Ctrl-Z) handler that only records the request, unless the parent
/// ignored SIGTSTP. Call before newterm so ncurses leaves SIGINT, SIGTERM and SIGTSTP to us
/// (its own SIGTSTP handling ignores Ctrl-Z during every doupdate and redraws from inside the
/// handler, on whichever thread). Returns 0 or -1.
int spt_install_quit_handlers(void);

/// Whether a SIGTSTP arrived since the last call (and forgets it).
int spt_take_suspend_request(void);
/// Stops the whole process as SIGTSTP's default action would (the shell sees it stopped), and
/// returns once it is continued (`fg`). Call on the UI thread after giving the screen back.
void spt_stop_self(void);

/// Saves the tty state of `fd` (call before newterm) and the bytes that undo the screen setup;
/// then installs crash handlers (SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP) that write
/// those bytes to `fd`, restore the saved tty state and re-raise. Returns 0 or -1.
int spt_save_tty(int fd);
int spt_install_crash_handlers(const char *restore, size_t length);

/// Makes Ctrl-C and Ctrl-\ plain input bytes (INTR and QUIT characters disabled), and turns off
/// flow control (Ctrl-S, Ctrl-Q) and extended input processing (Ctrl-V), leaving ISIG on so that
/// SUSP (Ctrl-Z) still stops the process. Returns 0 or -1.
int spt_keys_as_input(int fd);

/// Puts back every handler installed above, as it was before. Idempotent.
void spt_restore_handlers(void);

/// Restores the terminal from saved state at once (async-signal-safe; used by the handlers).
void spt_emergency_restore(void);

/// While the screen is taken, sends stderr (when it is a terminal) to an unlinked temporary
/// file, so stray messages cannot scribble on the screen. Returns 0 or -1.
int spt_capture_stderr(void);
/// Points stderr back at the terminal and writes it the last 64 KiB captured. Idempotent. The
/// crash handlers do the same, so a fatal error's message is seen after the screen is restored.
void spt_release_stderr(void);

/// The first quit signal received since the handlers were installed, or 0.
int spt_pending_signal(void);
/// How many times SIGCONT arrived since the handlers were installed.
long spt_continue_count(void);

/// Opens this thread's kernel I/O counters (Linux /proc/thread-self/io); -1 when unavailable.
int spt_open_thread_io(void);
/// Bytes this thread has passed to write(2) so far, read from `fd`; -1 on failure.
long long spt_thread_bytes_written(int fd);

#endif
