#ifndef OPENCODE_OPS_NCURSES_SHIM_H
#define OPENCODE_OPS_NCURSES_SHIM_H
// SwiftPM drops pkg-config's -D flags, so the wide-character API must be switched on here.
#define NCURSES_WIDECHAR 1
#define _XOPEN_SOURCE_EXTENDED 1
#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <ncurses.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <wchar.h>

// Macros and C globals that Swift cannot import (or that Swift 6 rejects as shared mutable
// state) are read through these functions.
static inline WINDOW *ops_stdscr(void) { return stdscr; }
static inline int ops_colors(void) { return COLORS; }
static inline int ops_color_pairs(void) { return COLOR_PAIRS; }
static inline attr_t ops_attr_bold(void) { return A_BOLD; }
static inline attr_t ops_attr_dim(void) { return A_DIM; }
static inline attr_t ops_attr_underline(void) { return A_UNDERLINE; }
static inline attr_t ops_attr_reverse(void) { return A_REVERSE; }
static inline int ops_key_f0(void) { return KEY_F0; }

static inline int ops_codeset_is_utf8(void) {
    const char *codeset = nl_langinfo(CODESET);
    return codeset != NULL && (strcmp(codeset, "UTF-8") == 0 || strcmp(codeset, "utf8") == 0);
}

// Draws one cell; `text` is a NUL-terminated wide string holding one character (with any
// combining marks).
static inline int ops_put_cell(int y, int x, const wchar_t *text, attr_t attributes, short pair) {
    cchar_t cell;
    if (setcchar(&cell, text, attributes, pair, NULL) == ERR) return ERR;
    return mvadd_wch(y, x, &cell);
}

// Signals become bytes on a pipe, so the one thread that owns the terminal sees them in its
// poll() whichever thread the kernel delivered them to. Only async-signal-safe calls here.
static int ops_signal_fd = -1;

static inline void ops_signal_to_pipe(int signal_number) {
    int saved = errno;
    unsigned char byte = (unsigned char)signal_number;
    if (ops_signal_fd >= 0) { ssize_t ignored = write(ops_signal_fd, &byte, 1); (void)ignored; }
    errno = saved;
}

static inline int ops_install_signal_handlers(int write_fd) {
    ops_signal_fd = write_fd;
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = ops_signal_to_pipe;
    sigemptyset(&action.sa_mask);
    int signals[] = { SIGINT, SIGTERM, SIGHUP, SIGWINCH };
    for (unsigned i = 0; i < sizeof signals / sizeof signals[0]; i++) {
        if (sigaction(signals[i], &action, NULL) != 0) return -1;
    }
    signal(SIGPIPE, SIG_IGN);
    return 0;
}

static inline void ops_reset_signal_handlers(void) {
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    signal(SIGHUP, SIG_DFL);
    signal(SIGWINCH, SIG_DFL);
    ops_signal_fd = -1;
}

static inline int ops_terminal_size(int *rows, int *columns) {
    struct winsize size;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) != 0) return -1;
    *rows = size.ws_row;
    *columns = size.ws_col;
    return 0;
}

// Clicks of button 1, and the wheel, which terminals report as presses of buttons 4 (up) and
// 5 (down).
static inline int ops_enable_mouse(void) {
    mmask_t wanted = BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON4_PRESSED | BUTTON5_PRESSED;
    return mousemask(wanted, NULL) == 0 ? -1 : 0;
}

// The mouse event kinds ops_read_mouse returns.
enum { OPS_MOUSE_OTHER = 0, OPS_MOUSE_CLICK = 1, OPS_MOUSE_WHEEL_UP = 2, OPS_MOUSE_WHEEL_DOWN = 3 };

// Reads the pending mouse event: its kind and the cell it happened on.
static inline int ops_read_mouse(int *y, int *x) {
    MEVENT event;
    if (getmouse(&event) != OK) return OPS_MOUSE_OTHER;
    *y = event.y;
    *x = event.x;
    if (event.bstate & BUTTON4_PRESSED) return OPS_MOUSE_WHEEL_UP;
    if (event.bstate & BUTTON5_PRESSED) return OPS_MOUSE_WHEEL_DOWN;
    if (event.bstate & (BUTTON1_CLICKED | BUTTON1_PRESSED)) return OPS_MOUSE_CLICK;
    return OPS_MOUSE_OTHER;
}

// Waits for input on `input_fd` or a byte on `wake_fd` (at most `timeout_ms`, -1 for no limit);
// returns a bit mask (1 input, 2 wake, 4 the terminal hung up).
static inline int ops_wait(int input_fd, int wake_fd, int timeout_ms) {
    struct pollfd fds[2] = { { input_fd, POLLIN, 0 }, { wake_fd, POLLIN, 0 } };
    int ready = poll(fds, 2, timeout_ms);
    if (ready < 0) return 0;
    int mask = 0;
    if (fds[0].revents & POLLIN) mask |= 1;
    if (fds[0].revents & (POLLHUP | POLLERR | POLLNVAL)) mask |= 4;
    if (fds[1].revents & POLLIN) mask |= 2;
    return mask;
}
#endif
