extension AppState {
    /// Keys of a page's search; nil when the key is not one (it then scrolls or closes as usual).
    func search(in page: TextPage, with key: Key) -> TextPage? {
        var page = page
        if var search = page.search, search.isEditing {
            switch key {
            case .escape:
                page.search = nil
            case .enter:
                search.isEditing = false
                page.search = search
                return Self.jump(page, backward: search.isBackward, from: page.scroll, including: true)
            case .backspace:
                if search.query.isEmpty { page.search = nil } else { search.query.removeLast(); page.search = search }
            case .character(let character) where search.query.count < 80:
                search.query.append(character)
                page.search = search
            default:
                break
            }
            return page
        }
        switch key {
        case .character("/"), .character("?"):
            page.search = PageSearch(isBackward: key == .character("?"))
            return page
        case .character("n"), .character("N"):
            guard let search = page.search, !search.query.isEmpty else { return nil }
            let backward = search.isBackward != (key == .character("N"))
            return Self.jump(page, backward: backward, from: search.matchLine ?? page.scroll, including: false)
        default:
            return nil
        }
    }

    /// Scrolls to the next matching line after (or before) `line`, wrapping around; a search with
    /// no match says so in the page's search line and keeps the place.
    private static func jump(_ page: TextPage, backward: Bool, from line: Int, including: Bool) -> TextPage {
        var page = page
        guard var search = page.search else { return page }
        let matches = search.matchingLines(in: page.lines)
        guard !matches.isEmpty else {
            search.matchLine = nil
            page.search = search
            return page
        }
        let next: Int
        if backward {
            next = matches.last { including ? $0 <= line : $0 < line } ?? matches[matches.count - 1]
        } else {
            next = matches.first { including ? $0 >= line : $0 > line } ?? matches[0]
        }
        search.matchLine = next
        page.search = search
        page.scroll = next
        return page
    }
}
