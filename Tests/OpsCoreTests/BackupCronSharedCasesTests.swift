import Foundation
import OpsCore
import Testing

/// The shared table of schedules (Tests/cron_cases.json), which the image's entrypoint tests read
/// too: the console's parser accepts and refuses exactly what the entrypoint does.
@Suite struct BackupCronSharedCasesTests {
    struct Cases: Decodable {
        struct Invalid: Decodable {
            let schedule: String
            let problem: String
        }
        let valid: [String]
        let invalid: [Invalid]
    }

    /// What a refusal names for each kind of problem (the entrypoint's messages name the same).
    static let words = [
        "fields": "5 fields", "alias": "@ alias", "control": "control character", "minute": "minute field",
        "hour": "hour field", "day": "day field", "month": "month field", "weekday": "weekday field",
    ]

    static func cases() throws -> Cases {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("cron_cases.json")
        return try JSONDecoder().decode(Cases.self, from: Data(contentsOf: url))
    }

    @Test func everyValidScheduleIsAccepted() throws {
        let cases = try Self.cases()
        #expect(cases.valid.count >= 30)
        for schedule in cases.valid {
            if case .failure(let problem) = BackupCronSchedule.parse(schedule) {
                Issue.record("\(schedule.debugDescription) refused: \(problem.message)")
            }
        }
    }

    @Test func everyBadScheduleIsRefusedNamingWhatIsWrong() throws {
        let cases = try Self.cases()
        #expect(cases.invalid.count >= 30)
        for bad in cases.invalid {
            guard case .failure(let problem) = BackupCronSchedule.parse(bad.schedule) else {
                Issue.record("\(bad.schedule.debugDescription) accepted")
                continue
            }
            let word = try #require(Self.words[bad.problem], "unknown problem kind \(bad.problem)")
            #expect(problem.message.contains(word), "\(bad.schedule.debugDescription): \(problem.message)")
            #expect(problem.message.contains("BACKUP_SCHEDULE"))
            // The message is safe to draw: the value's control characters are written out.
            #expect(!problem.message.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) },
                    "\(problem.message.debugDescription)")
        }
    }
}
