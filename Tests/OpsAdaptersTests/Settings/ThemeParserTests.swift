import OpsAdapters
import OpsCore
import Testing

@Suite("ThemeParser", .tags(.settings))
struct ThemeParserTests {
    static let file = "mine.yaml"

    func parse(_ text: String) -> (Theme, [ConfigDiagnostic]) {
        ThemeParser.parse(text, name: "mine", file: Self.file)
    }

    @Test func readsColoursIndexesAndAttributes() {
        let (theme, diagnostics) = parse("""
            description: test
            styles:
              ok: { fg: green }
              fail: { fg: bright-red, bg: 52, attrs: [bold, underline] }
              text: {}
              muted: { fg: default, attrs: dim }
              selection:
                attrs: [reverse]
            """)
        #expect(diagnostics.isEmpty, "\(diagnostics.map(\.description))")
        #expect(theme.name == "mine")
        #expect(theme.styles[.ok] == RoleStyle(foreground: .named(.green, bright: false)))
        #expect(theme.styles[.fail] == RoleStyle(foreground: .named(.red, bright: true), background: .indexed(52), attributes: [.bold, .underline]))
        #expect(theme.styles[.text] == RoleStyle())
        #expect(theme.styles[.muted] == RoleStyle(attributes: .dim))
        #expect(theme.styles[.selection] == RoleStyle(attributes: .reverse))
        #expect(theme.styles.count == 5)
    }

    @Test func colourNamesCoverTheSchema() {
        #expect(ThemeParser.color(named: "default") == .terminalDefault)
        #expect(ThemeParser.color(named: "0") == .indexed(0))
        #expect(ThemeParser.color(named: "255") == .indexed(255))
        #expect(ThemeParser.color(named: "256") == nil)
        for basic in BasicColor.allCases {
            #expect(ThemeParser.color(named: "\(basic)") == .named(basic, bright: false))
            #expect(ThemeParser.color(named: "bright-\(basic)") == .named(basic, bright: true))
        }
        #expect(ThemeParser.colorNames.count == 17)
    }

    @Test func unknownColourName() {
        let (_, diagnostics) = parse("styles:\n  text: {}\n  ok: { fg: gren }\n")
        expectSingleDiagnostic(diagnostics, file: Self.file, line: 3, key: "styles.ok.fg", containing: "unknown colour \"gren\" (did you mean \"green\"?)")
    }

    @Test func colourIndexOutOfRange() {
        let (_, diagnostics) = parse("styles:\n  warn:\n    fg: 11\n    bg: 300\n")
        expectSingleDiagnostic(diagnostics, file: Self.file, line: 4, key: "styles.warn.bg", containing: "colour index 300 is out of range (0-255)")
        let (_, negative) = parse("styles:\n  warn: { fg: -1 }\n")
        expectSingleDiagnostic(negative, file: Self.file, line: 2, key: "styles.warn.fg", containing: "out of range")
    }

    @Test func colourGivenList() {
        let (_, diagnostics) = parse("styles:\n  ok: { fg: [1, 2] }\n")
        expectSingleDiagnostic(diagnostics, file: Self.file, line: 2, key: "styles.ok.fg", containing: "expected a colour name, a 0-255 index or default, got a list")
    }

    @Test func unknownAttribute() {
        let (_, diagnostics) = parse("styles:\n  title:\n    attrs: [bold, blink]\n")
        expectSingleDiagnostic(diagnostics, file: Self.file, line: 3, key: "styles.title.attrs", containing: "unknown attribute \"blink\"; use bold, dim, underline or reverse")
    }

    @Test func attributesGivenMapping() {
        let (_, diagnostics) = parse("styles:\n  title:\n    attrs: { bold: true }\n")
        expectSingleDiagnostic(diagnostics, file: Self.file, line: 3, key: "styles.title.attrs", containing: "expected a list of attributes")
    }

    @Test func unknownRole() {
        let (_, diagnostics) = parse("styles:\n  ok: {}\n  borderfocused: { fg: cyan }\n")
        expectSingleDiagnostic(diagnostics, file: Self.file, line: 3, key: "styles.borderfocused", containing: "unknown key (did you mean \"border-focused\"?)")
    }

    @Test func unknownStyleField() {
        let (_, diagnostics) = parse("styles:\n  ok: { foreground: green }\n")
        expectSingleDiagnostic(diagnostics, file: Self.file, line: 2, key: "styles.ok.foreground", containing: "unknown key")
    }

    @Test func unknownTopLevelKey() {
        let (_, diagnostics) = parse("styles: {}\ncolours: {}\n")
        expectSingleDiagnostic(diagnostics, file: Self.file, line: 2, key: "colours", containing: "unknown key")
    }

    @Test func roleGivenScalar() {
        let (_, diagnostics) = parse("styles:\n  ok: green\n")
        expectSingleDiagnostic(diagnostics, file: Self.file, line: 2, key: "styles.ok", containing: "expected a mapping with fg, bg and attrs, got \"green\"")
    }

    @Test func stylesGivenList() {
        let (_, diagnostics) = parse("description: x\nstyles:\n  - ok\n")
        expectSingleDiagnostic(diagnostics, file: Self.file, line: 3, key: "styles", containing: "expected a mapping of roles to styles, got a list")
    }

    @Test func themeWithoutStyles() {
        let (_, diagnostics) = parse("description: nothing else\n")
        expectSingleDiagnostic(diagnostics, file: Self.file, line: 1, key: "styles", containing: "missing")
    }

    @Test func wholeFileGivenList() {
        let (_, diagnostics) = parse("- ok\n- fail\n")
        expectSingleDiagnostic(diagnostics, file: Self.file, line: 1, key: "styles", containing: "got a list")
    }

    @Test func syntaxError() {
        let (_, diagnostics) = parse("styles:\n  ok: { fg: green\n  fail: { fg: red }\n")
        #expect(diagnostics.count == 1)
        #expect(diagnostics.first?.file == Self.file)
        #expect(diagnostics.first?.message.hasPrefix("YAML syntax error") == true)
        #expect((2...4).contains(diagnostics.first?.line ?? 0), "\(diagnostics)")
    }

    @Test func syntaxErrorOnAKnownLine() {
        let (_, diagnostics) = parse("styles:\n  ok: {}\n  fail: \"unterminated\n")
        #expect(diagnostics.count == 1)
        #expect(diagnostics.first?.line == 4 || diagnostics.first?.line == 3, "\(diagnostics)")
        #expect(diagnostics.first?.description.hasPrefix("mine.yaml:") == true)
    }

    @Test func everyProblemIsReportedNotJustTheFirst() {
        let (_, diagnostics) = parse("styles:\n  ok: { fg: nope }\n  warn: { bg: 999 }\n  nope: {}\n")
        #expect(diagnostics.map(\.line) == [2, 3, 4])
        #expect(diagnostics.map(\.key) == ["styles.ok.fg", "styles.warn.bg", "styles.nope"])
    }
}
