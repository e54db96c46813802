import CNcurses
import CTerminalSupport
import SPTUI

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

extension Terminal {
  /// Shows `buffer`: writes only the cells that differ from the previous frame, in runs of equal
  /// style, then updates the screen once. A new size, or `invalidate()`, repaints everything.
  /// Cells beyond the screen are clipped.
  public func draw(_ buffer: Buffer) {
    guard !isClosed else { return }
    noteContinue()
    let (columns, rows) = size
    let old = previous.flatMap { $0.width == buffer.width && $0.height == buffer.height ? $0 : nil }
    let full = needsFullRedraw || old == nil
    needsFullRedraw = false
    if full {
      werase(window)
      clearok(spt_curscr(), true)
    }
    let width = min(buffer.width, columns)
    let height = min(buffer.height, rows)
    var lastStyle: Style?
    buffer.cells.withUnsafeBufferPointer { cells in
      (old?.cells ?? []).withUnsafeBufferPointer { before in
        for y in 0..<max(0, height) {
          let row = y * buffer.width
          var x = 0
          while x < width {
            if !full && before[row + x] == cells[row + x] {
              x += 1
              continue
            }
            let style = cells[row + x].style
            let start = x
            run.removeAll(keepingCapacity: true)
            while x < width {
              let cell = cells[row + x]
              guard cell.style == style, full || before[row + x] != cell else { break }
              run.append(glyph(cell.symbol))
              x += 1
            }
            if style != lastStyle {
              apply(style)
              lastStyle = style
            }
            _ = run.withUnsafeBufferPointer {
              mvwaddnwstr(window, Int32(y), Int32(start), $0.baseAddress, Int32($0.count))
            }
          }
        }
      }
    }
    wnoutrefresh(window)
    let start = measuresBytes ? spt_thread_bytes_written(ioCounter) : 0
    doupdate()
    if measuresBytes {
      let end = spt_thread_bytes_written(ioCounter)
      if start >= 0 && end >= start { bytesWritten += Int(end - start) }
    }
    previous = buffer
  }

  /// Makes the next `draw` repaint the whole screen (after a resume or anything that may have
  /// written over it).
  public func invalidate() { needsFullRedraw = true }

  /// The character ncurses is given for a cell: controls become blanks, and anything that is
  /// not one column wide in this locale (or non-ASCII outside UTF-8) becomes "?".
  func glyph(_ symbol: Unicode.Scalar) -> wchar_t {
    let value = symbol.value
    if value >= 0x20 && value < 0x7f { return wchar_t(value) }
    if value < 0x20 || (value >= 0x7f && value < 0xa0) { return 0x20 }
    guard unicode, spt_wcwidth(wchar_t(value)) == 1 else { return 0x3f }
    return wchar_t(value)
  }

  /// Sets the window's attributes and colour pair for the cells written next.
  func apply(_ style: Style) {
    let a = style.attributes
    let attributes = spt_attributes(
      a.contains(.bold) ? 1 : 0, a.contains(.dim) ? 1 : 0,
      a.contains(.underline) ? 1 : 0, a.contains(.reverse) ? 1 : 0)
    var pair = colorPair(foreground: style.foreground, background: style.background)
    wattr_set(window, attributes, 0, &pair)
  }

  /// The colour pair for two theme colours, defined on first use; 0 when colours are off.
  func colorPair(foreground: Color, background: Color) -> Int32 {
    guard let reducer = colorReducer else { return 0 }
    let key = ColorPair(foreground: foreground, background: background)
    if let pair = pairsByColors[key] { return pair }
    let fg = foreground == .default ? defaultForeground : reducer.number(for: foreground)
    let bg = background == .default ? defaultBackground : reducer.number(for: background)
    let numbers = Int64(fg) << 32 | Int64(UInt32(bitPattern: bg))
    if let pair = pairsByNumbers[numbers] {
      pairsByColors[key] = pair
      return pair
    }
    if fg == -1 && bg == -1 { return 0 }
    if nextPair >= pairLimit {
      // Every pair is taken: start over; cells still on screen get repainted next frame.
      pairsByColors.removeAll()
      pairsByNumbers.removeAll()
      nextPair = 1
      needsFullRedraw = true
    }
    let pair = nextPair
    nextPair += 1
    init_extended_pair(pair, fg, bg)
    pairsByColors[key] = pair
    pairsByNumbers[numbers] = pair
    return pair
  }
}
