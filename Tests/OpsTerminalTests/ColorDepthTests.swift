import Testing
@testable import OpsCore
@testable import OpsTerminal

@Suite struct ColorDepthTests {
    @Test func depthFollowsTheTerminal() {
        #expect(ColorDepth(colors: 256, hasColors: true) == .full)
        #expect(ColorDepth(colors: 88, hasColors: true) == .sixteen)
        #expect(ColorDepth(colors: 8, hasColors: true) == .eight)
        #expect(ColorDepth(colors: 256, hasColors: false) == ColorDepth.none)
        #expect(ColorDepth(colors: 2, hasColors: true) == ColorDepth.none)
    }

    @Test func terminalDefaultStaysDefaultEverywhere() {
        for depth in [ColorDepth.full, .sixteen, .eight, .none] {
            #expect(depth.resolve(.terminalDefault).index == -1)
        }
    }

    @Test func indexedColoursDegradeToTheNearestBasicOne() {
        // 196 is pure red in the 6x6x6 cube (nearest: bright red), 46 pure green, 21 pure blue
        // (nearest: xterm blue 0,0,238), 231 white, 232 near black.
        #expect(ColorDepth.full.resolve(.indexed(196)).index == 196)
        #expect(ColorDepth.sixteen.resolve(.indexed(196)).index == 9)
        #expect(ColorDepth.sixteen.resolve(.indexed(46)).index == 10)
        #expect(ColorDepth.sixteen.resolve(.indexed(21)).index == 4)
        #expect(ColorDepth.sixteen.resolve(.indexed(231)).index == 15)
        #expect(ColorDepth.sixteen.resolve(.indexed(232)).index == 0)
        // On 8 colours a bright colour becomes its base colour drawn bold.
        let red = ColorDepth.eight.resolve(.indexed(196))
        #expect(red.index == 1 && red.needsBold)
        let brightGreen = ColorDepth.eight.resolve(.named(.green, bright: true))
        #expect(brightGreen.index == 2 && brightGreen.needsBold)
    }

    @Test func noColourMeansAttributesOnly() {
        #expect(ColorDepth.none.resolve(.named(.red, bright: false)).index == -1)
        #expect(ColorDepth.none.resolve(.indexed(200)).index == -1)
    }
}
