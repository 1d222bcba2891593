import CNcursesw
import Testing
@testable import OpsCore
@testable import OpsTerminal

@Suite struct MouseDecoderTests {
    @Test func wheelNotchesScrollThreeRowsAtThePointer() {
        #expect(KeyDecoder.mouseEvent(kind: Int32(OPS_MOUSE_WHEEL_UP), x: 5, y: 7) == .wheel(x: 5, y: 7, lines: -3))
        #expect(KeyDecoder.mouseEvent(kind: Int32(OPS_MOUSE_WHEEL_DOWN), x: 50, y: 2) == .wheel(x: 50, y: 2, lines: 3))
    }

    @Test func clicksStayClicksAndOtherEventsAreDropped() {
        #expect(KeyDecoder.mouseEvent(kind: Int32(OPS_MOUSE_CLICK), x: 1, y: 2) == .click(x: 1, y: 2))
        #expect(KeyDecoder.mouseEvent(kind: Int32(OPS_MOUSE_OTHER), x: 1, y: 2) == nil)
    }
}
