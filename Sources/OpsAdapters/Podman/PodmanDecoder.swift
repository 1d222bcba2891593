import Foundation
import OpsCore

/// Decodes podman's `--format json` output (4.x and 5.x shapes) into the core's models.
/// Only the fields the console uses are read; unknown fields are ignored.
public enum PodmanDecoder {
    /// `podman ps --all --format json`.
    public static func containers(fromPS data: Data) throws(PodmanFailure) -> [PodmanContainer] {
        let entries: [PSEntry] = try decode(data, as: [PSEntry].self, command: "podman ps")
        return entries.map { entry in
            PodmanContainer(
                id: entry.Id, name: entry.Names?.first ?? "", image: entry.Image ?? "", imageID: entry.ImageID ?? "",
                state: PodmanContainerState(podmanText: entry.State ?? ""),
                health: PodmanHealth(status: healthFromStatusText(entry.Status ?? "")),
                startedAt: entry.StartedAt.flatMap { $0 > 0 ? Date(timeIntervalSince1970: TimeInterval($0)) : nil },
                exitCode: entry.Exited == true ? entry.ExitCode : nil,
                podID: entry.Pod ?? "", isInfra: entry.IsInfra ?? false, labels: entry.Labels ?? [:]
            )
        }
    }

    /// `podman container inspect` (always an array).
    public static func containers(fromInspect data: Data) throws(PodmanFailure) -> [PodmanContainer] {
        let entries: [ContainerInspect] = try decode(data, as: [ContainerInspect].self, command: "podman container inspect")
        return entries.map { entry in
            let state = entry.State
            let health = state?.Health ?? state?.Healthcheck
            let status = PodmanContainerState(podmanText: state?.Status ?? "")
            return PodmanContainer(
                id: entry.Id, name: entry.Name ?? "", image: entry.ImageName ?? "", imageID: entry.Image ?? "",
                state: status,
                health: PodmanHealth(
                    status: PodmanHealthStatus(podmanText: health?.Status ?? ""),
                    failingStreak: health?.FailingStreak ?? 0,
                    lastOutput: health?.Log?.last?.Output.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
                ),
                startedAt: state?.StartedAt.flatMap(PodmanTime.parse),
                exitCode: status == .exited || status == .stopped ? state?.ExitCode : nil,
                podID: entry.Pod ?? "", isInfra: entry.IsInfra ?? false, labels: entry.Config?.Labels ?? [:]
            )
        }
    }

    /// `podman pod inspect NAME`: an object in 4.x, a one-element array in 5.x. Containers
    /// carry only id, name and state; a snapshot fills them in from container inspect.
    public static func pod(fromInspect data: Data) throws(PodmanFailure) -> PodmanPod {
        let entry: PodInspect
        if let array = try? JSONDecoder().decode([PodInspect].self, from: data) {
            guard let first = array.first else { throw .unexpectedOutput(command: "podman pod inspect", detail: "empty list") }
            entry = first
        } else {
            entry = try decode(data, as: PodInspect.self, command: "podman pod inspect")
        }
        let infra = entry.InfraContainerID ?? ""
        return PodmanPod(
            id: entry.Id, name: entry.Name, state: PodmanPodState(podmanText: entry.State ?? ""),
            createdAt: entry.Created.flatMap(PodmanTime.parse), labels: entry.Labels ?? [:],
            containers: (entry.Containers ?? []).map {
                PodmanContainer(id: $0.Id, name: $0.Name ?? "", state: PodmanContainerState(podmanText: $0.State ?? ""),
                                podID: entry.Id, isInfra: $0.Id == infra)
            }
        )
    }

    /// `podman pod ps --format json`.
    public static func pods(fromPS data: Data) throws(PodmanFailure) -> [PodmanPod] {
        let entries: [PodPSEntry] = try decode(data, as: [PodPSEntry].self, command: "podman pod ps")
        return entries.map { entry in
            PodmanPod(
                id: entry.Id, name: entry.Name, state: PodmanPodState(podmanText: entry.Status ?? ""),
                createdAt: entry.Created.flatMap(PodmanTime.parse), labels: entry.Labels ?? [:],
                containers: (entry.Containers ?? []).map {
                    PodmanContainer(id: $0.Id, name: $0.Names ?? "", state: PodmanContainerState(podmanText: $0.Status ?? ""),
                                    podID: entry.Id, isInfra: $0.Id == entry.InfraId)
                }
            )
        }
    }

    /// `podman image inspect` (an array).
    public static func images(fromInspect data: Data) throws(PodmanFailure) -> [PodmanImage] {
        let entries: [ImageInspect] = try decode(data, as: [ImageInspect].self, command: "podman image inspect")
        return entries.map { entry in
            let check = entry.Healthcheck ?? entry.Config?.Healthcheck
            return PodmanImage(
                id: entry.Id, tags: entry.RepoTags ?? [], createdAt: entry.Created.flatMap(PodmanTime.parse),
                environment: entry.Config?.Env ?? [], labels: entry.Config?.Labels ?? entry.Labels ?? [:],
                healthcheck: check.flatMap { check in
                    guard let test = check.Test, !test.isEmpty, test.first != "NONE" else { return nil }
                    return PodmanHealthcheck(
                        test: test, interval: seconds(check.Interval, default: 30), timeout: seconds(check.Timeout, default: 30),
                        startPeriod: seconds(check.StartPeriod, default: 0), retries: check.Retries ?? 3
                    )
                }
            )
        }
    }

    /// One line of `podman events --format json`: 4.x has `Time` (RFC 3339 string), 5.x has
    /// `time` (Unix seconds) and `timeNano`.
    public static func event(fromLine line: String) throws(PodmanFailure) -> PodmanEvent {
        let entry: EventEntry = try decode(Data(line.utf8), as: EventEntry.self, command: "podman events")
        let time: Date
        if let nano = entry.timeNano, nano > 0 {
            time = Date(timeIntervalSince1970: TimeInterval(nano / 1_000_000_000) + TimeInterval(nano % 1_000_000_000) / 1e9)
        } else if let seconds = entry.time, seconds > 0 {
            time = Date(timeIntervalSince1970: TimeInterval(seconds))
        } else if let text = entry.Time, let parsed = PodmanTime.parse(text) {
            time = parsed
        } else {
            throw .unexpectedOutput(command: "podman events", detail: "event without a time: \(line.prefix(200))")
        }
        let attributes = entry.Attributes ?? [:]
        let health = entry.health_status ?? entry.HealthStatus ?? attributes["health_status"]
        return PodmanEvent(
            type: entry.`Type` ?? "", status: entry.Status ?? "", id: entry.ID ?? "", name: entry.Name ?? "",
            image: entry.Image ?? "", podID: entry.PodID ?? "", time: time, exitCode: entry.ContainerExitCode,
            healthStatus: health.map(PodmanHealthStatus.init(podmanText:)), attributes: attributes
        )
    }

    /// ps has no health field, only text such as "Up 5 minutes (healthy)".
    public static func healthFromStatusText(_ status: String) -> PodmanHealthStatus {
        if status.contains("(healthy)") { return .healthy }
        if status.contains("(unhealthy)") { return .unhealthy }
        if status.contains("(starting)") { return .starting }
        return .none
    }

    private static func seconds(_ nanoseconds: Int64?, default value: TimeInterval) -> TimeInterval {
        guard let nanoseconds, nanoseconds > 0 else { return value }
        return TimeInterval(nanoseconds) / 1e9
    }

    private static func decode<T: Decodable>(_ data: Data, as type: T.Type, command: String) throws(PodmanFailure) -> T {
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch {
            let sample = String(decoding: data.prefix(120), as: UTF8.self)
            throw .unexpectedOutput(command: command, detail: "\(Self.describe(error)) in \(sample.debugDescription)")
        }
    }

    private static func describe(_ error: Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _): "missing field \(key.stringValue)"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context),
             DecodingError.dataCorrupted(let context):
            "\(context.codingPath.map(\.stringValue).joined(separator: ".")): \(context.debugDescription)"
        default: "\(error)"
        }
    }
}

// Field names follow podman's JSON exactly, hence the capitals.
// swiftlint:disable identifier_name

private struct PSEntry: Decodable {
    var Id: String
    var Names: [String]?
    var Image: String?
    var ImageID: String?
    var State: String?
    var Status: String?
    var StartedAt: Int64?
    var Exited: Bool?
    var ExitCode: Int?
    var Pod: String?
    var IsInfra: Bool?
    var Labels: [String: String]?
}

private struct HealthEntry: Decodable {
    struct Log: Decodable {
        var ExitCode: Int?
        var Output: String?
    }

    var Status: String?
    var FailingStreak: Int?
    var Log: [Log]?
}

private struct ContainerInspect: Decodable {
    struct State: Decodable {
        var Status: String?
        var StartedAt: String?
        var ExitCode: Int?
        var Health: HealthEntry?
        var Healthcheck: HealthEntry?
    }

    struct Config: Decodable {
        var Labels: [String: String]?
    }

    var Id: String
    var Name: String?
    var Image: String?
    var ImageName: String?
    var Pod: String?
    var IsInfra: Bool?
    var State: State?
    var Config: Config?
}

private struct PodInspect: Decodable {
    struct Container: Decodable {
        var Id: String
        var Name: String?
        var State: String?
    }

    var Id: String
    var Name: String
    var Created: String?
    var State: String?
    var Labels: [String: String]?
    var InfraContainerID: String?
    var Containers: [Container]?
}

private struct PodPSEntry: Decodable {
    struct Container: Decodable {
        var Id: String
        var Names: String?
        var Status: String?
    }

    var Id: String
    var Name: String
    var Status: String?
    var Created: String?
    var InfraId: String?
    var Labels: [String: String]?
    var Containers: [Container]?
}

private struct HealthcheckEntry: Decodable {
    var Test: [String]?
    var Interval: Int64?
    var Timeout: Int64?
    var StartPeriod: Int64?
    var Retries: Int?
}

private struct ImageInspect: Decodable {
    struct Config: Decodable {
        var Env: [String]?
        var Labels: [String: String]?
        var Healthcheck: HealthcheckEntry?
    }

    var Id: String
    var RepoTags: [String]?
    var Created: String?
    var Labels: [String: String]?
    var Config: Config?
    var Healthcheck: HealthcheckEntry?
}

private struct EventEntry: Decodable {
    var ID: String?
    var Name: String?
    var Image: String?
    var Status: String?
    var `Type`: String?
    var Time: String?
    var time: Int64?
    var timeNano: Int64?
    var PodID: String?
    var ContainerExitCode: Int?
    var HealthStatus: String?
    var health_status: String?
    var Attributes: [String: String]?
}
