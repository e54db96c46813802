#ifndef SPTOP_CNCURSES_SHIM_H
#define SPTOP_CNCURSES_SHIM_H
// ncurses for Swift: wide-character API plus inline wrappers for what Swift cannot import
// (function-like macros, and mutable globals that Swift 6 rejects as not concurrency-safe).
#define _XOPEN_SOURCE_EXTENDED 1
#define NCURSES_WIDECHAR 1
#include <langinfo.h>
#include <locale.h>
#include <ncursesw/curses.h>

static inline WINDOW *spt_stdscr(void) { return stdscr; }
static inline WINDOW *spt_curscr(void) { return curscr; }
static inline int spt_colors(void) { return COLORS; }
static inline int spt_color_pairs(void) { return COLOR_PAIRS; }

static inline void spt_getmaxyx(WINDOW *window, int *height, int *width) {
  int y, x;
  getmaxyx(window, y, x);
  *height = y;
  *width = x;
}

/// The WA_* bits for the four attributes the dashboard uses.
static inline attr_t spt_attributes(int bold, int dim, int underline, int reverse) {
  return (bold ? WA_BOLD : 0) | (dim ? WA_DIM : 0) | (underline ? WA_UNDERLINE : 0)
         | (reverse ? WA_REVERSE : 0);
}

/// Columns a character takes in this locale (-1: not printable); declared here because the
/// Glibc module hides wcwidth behind feature macros.
extern int wcwidth(wchar_t character);
static inline int spt_wcwidth(wchar_t character) { return wcwidth(character); }

/// A terminfo string capability, or NULL when absent or not a string ((char *)-1).
static inline const char *spt_tigetstr(const char *name) {
  char *value = tigetstr(name);
  return value == (char *)-1 ? NULL : value;
}

#endif
