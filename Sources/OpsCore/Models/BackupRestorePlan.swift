/// `restore ID --plan --json`: what a restore would overwrite, for the first confirmation.
public struct BackupRestorePlan: Equatable, Sendable, Decodable {
    public var id: String
    public var createdAt: String?
    public var host: String?
    public var parts: [String]
    public var overwrite: [Overwrite]
    public var sidecars: [Sidecar]

    public struct Overwrite: Equatable, Sendable, Decodable {
        public var part: String
        public var path: String
        public var files: Int?
        public var bytes: Int?
        public var existingFilesOverwritten: Int?

        public init(part: String, path: String, files: Int? = nil, bytes: Int? = nil, existingFilesOverwritten: Int? = nil) {
            self.part = part
            self.path = path
            self.files = files
            self.bytes = bytes
            self.existingFilesOverwritten = existingFilesOverwritten
        }

        enum CodingKeys: String, CodingKey {
            case part, path, files, bytes
            case existingFilesOverwritten = "existing_files_overwritten"
        }
    }

    public struct Sidecar: Equatable, Sendable, Decodable {
        public var service: String
        public var bytes: Int?
        public var replaces: String?

        public init(service: String, bytes: Int? = nil, replaces: String? = nil) {
            self.service = service
            self.bytes = bytes
            self.replaces = replaces
        }
    }

    public init(id: String, createdAt: String? = nil, host: String? = nil, parts: [String], overwrite: [Overwrite], sidecars: [Sidecar]) {
        self.id = id
        self.createdAt = createdAt
        self.host = host
        self.parts = parts
        self.overwrite = overwrite
        self.sidecars = sidecars
    }

    enum CodingKeys: String, CodingKey {
        case id, host, parts, overwrite, sidecars
        case createdAt = "created_at"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        createdAt = try c.decodeIfPresent(String.self, forKey: .createdAt)
        host = try c.decodeIfPresent(String.self, forKey: .host)
        parts = try c.decodeIfPresent([String].self, forKey: .parts) ?? []
        overwrite = try c.decodeIfPresent([Overwrite].self, forKey: .overwrite) ?? []
        sidecars = try c.decodeIfPresent([Sidecar].self, forKey: .sidecars) ?? []
    }

    /// The operator's words for what will be replaced, one line per part.
    public var overwriteLines: [String] {
        overwrite.map { item in
            var line = "\(item.part): \(item.path)"
            if let files = item.files { line += ", \(files) files" }
            if let replaced = item.existingFilesOverwritten { line += " (\(replaced) existing overwritten)" }
            return line
        } + sidecars.map { "\($0.service): \($0.replaces ?? "the whole dataset")" }
    }
}
