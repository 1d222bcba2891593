import Foundation
import OpsCore

/// Decodes what podman says about images and storage for the images and disk view.
public enum PodmanDiskDecoder {
    /// `podman images --format json` (an array).
    public static func images(fromList data: Data) throws(PodmanFailure) -> [ListedImage] {
        let entries: [ImageEntry]
        do {
            entries = try JSONDecoder().decode([ImageEntry].self, from: data)
        } catch {
            throw .unexpectedOutput(command: "podman images", detail: "\(error)".prefix(200).description)
        }
        // One entry per tag: an image with three names comes three times.
        var images: [ListedImage] = []
        var index: [String: Int] = [:]
        for entry in entries {
            let tags = entry.RepoTags ?? entry.Names ?? []
            if let at = index[entry.Id] {
                images[at].tags += tags.filter { !images[at].tags.contains($0) }
                continue
            }
            index[entry.Id] = images.count
            images.append(ListedImage(
                id: entry.Id, tags: tags, size: entry.Size ?? 0,
                createdAt: entry.Created.map { Date(timeIntervalSince1970: TimeInterval($0)) },
                containers: entry.Containers ?? 0, dangling: entry.Dangling ?? false, formerNames: entry.History ?? []
            ))
        }
        return images
    }

    /// `podman system df --format '{{json .}}'`: one JSON object per line. (Podman 4.3 prints the
    /// word "json" for `--format json` here.)
    public static func totals(fromLines data: Data) throws(PodmanFailure) -> [DiskUsageTotal] {
        var totals: [DiskUsageTotal] = []
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            do {
                let entry = try JSONDecoder().decode(TotalEntry.self, from: Data(line.utf8))
                totals.append(DiskUsageTotal(
                    kind: entry.`Type`, total: entry.Total ?? 0, active: entry.Active ?? 0,
                    size: entry.Size ?? 0, reclaimable: entry.Reclaimable ?? 0
                ))
            } catch {
                throw .unexpectedOutput(command: "podman system df", detail: "not a JSON line: \(line.prefix(120))")
            }
        }
        return totals
    }

    /// Volume sizes from `podman system df -v`, the one place podman reports them: its verbose
    /// form ignores `--format` on 4.3, so this reads the "Local Volumes" table (NAME LINKS SIZE).
    /// Sizes are podman's decimal units (`12.3MB`); a volume missing from the table has none.
    public static func volumeSizes(fromVerboseText text: String) -> [String: Int] {
        var sizes: [String: Int] = [:]
        var inVolumes = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("Local Volumes space usage") { inVolumes = true; continue }
            guard inVolumes else { continue }
            if line.hasSuffix("space usage:") { break }
            let words = line.split(separator: " ", omittingEmptySubsequences: true)
            guard words.count >= 3, words[0] != "VOLUME", let size = bytes(fromHuman: String(words[words.count - 1])) else { continue }
            sizes[String(words[0])] = size
        }
        return sizes
    }

    /// `0B`, `512B`, `12.5kB`, `1.2MB`, `3GB` (go-units' decimal sizes).
    static func bytes(fromHuman text: String) -> Int? {
        let units: [(String, Double)] = [("kB", 1e3), ("KB", 1e3), ("MB", 1e6), ("GB", 1e9), ("TB", 1e12), ("B", 1)]
        for (suffix, factor) in units where text.hasSuffix(suffix) {
            guard let value = Double(text.dropLast(suffix.count)) else { return nil }
            return Int((value * factor).rounded())
        }
        return nil
    }

    private struct ImageEntry: Decodable {
        var Id: String
        var RepoTags: [String]?
        var Names: [String]?
        var Size: Int?
        var Created: Int64?
        var Containers: Int?
        var Dangling: Bool?
        var History: [String]?
    }

    private struct TotalEntry: Decodable {
        var `Type`: String
        var Total: Int?
        var Active: Int?
        var Size: Int?
        var Reclaimable: Int?
    }
}
