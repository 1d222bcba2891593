import Foundation
import OpsAdapters
import OpsCore
import Testing

/// Decoding of podman's JSON, from output captured from podman 4.3.1 and, for 5.x, the shapes
/// its events and pod inspect changed to.
@Suite(.tags(.podman))
struct PodmanDecoderTests {
    // `podman events --format json`, podman 4.3.1 (captured).
    static let event4 = #"{"ID":"609e46ec529eab46a0d406f1cd5268a80ce3d01972d3f97fbd8e6c7e59ea22ff","Image":"localhost/oc-probe:1","Name":"probepod-oc","Status":"died","Time":"2026-11-27T11:05:46.766278822Z","Type":"container","PodID":"4b68513330cee6ab8e9eb74ba30ad570163b9ce11493f6a55cee4aa5aba0ce9b","ContainerExitCode":137,"Attributes":{"io.buildah.version":"1.28.2","probe":"1"}}"#
    // Pod event, podman 4.3.1 (captured): Attributes null.
    static let podEvent4 = #"{"ID":"4b68513330cee6ab8e9eb74ba30ad570163b9ce11493f6a55cee4aa5aba0ce9b","Name":"probepod","Status":"create","Time":"2026-11-27T11:05:36.075118442Z","Type":"pod","Attributes":null}"#
    // podman 5.x: `time` (Unix seconds) and `timeNano`, no `Time`; health as `health_status`.
    static let event5 = #"{"ID":"8c2f0b1a","Image":"localhost/opencode-server:latest","Name":"opencode-opencode","Status":"health_status","Type":"container","PodID":"77aa","time":1795777546,"timeNano":1795777546766278822,"health_status":"healthy","Attributes":{"io.opencode-ops.pod":"opencode"}}"#

    @Test func decodesPodman4EventWithTimeString() throws {
        let event = try PodmanDecoder.event(fromLine: Self.event4)
        #expect(event.type == "container")
        #expect(event.status == "died")
        #expect(event.name == "probepod-oc")
        #expect(event.exitCode == 137)
        #expect(event.podID.hasPrefix("4b68513330ce"))
        #expect(abs(event.time.timeIntervalSince1970 - 1_795_777_546.766278822) < 0.001)
        #expect(event.attributes["probe"] == "1")
        let pod = try PodmanDecoder.event(fromLine: Self.podEvent4)
        #expect(pod.type == "pod")
        #expect(pod.attributes.isEmpty)
    }

    @Test func decodesPodman5EventWithUnixTime() throws {
        let event = try PodmanDecoder.event(fromLine: Self.event5)
        #expect(event.status == "health_status")
        #expect(event.healthStatus == .healthy)
        #expect(abs(event.time.timeIntervalSince1970 - 1_795_777_546.766278822) < 0.001)
        let secondsOnly = try PodmanDecoder.event(fromLine: #"{"Status":"start","Type":"container","Name":"x","time":1795777546}"#)
        #expect(secondsOnly.time == Date(timeIntervalSince1970: 1_795_777_546))
    }

    @Test func rejectsAnEventWithoutTime() {
        #expect(throws: PodmanFailure.self) { try PodmanDecoder.event(fromLine: #"{"Status":"start","Type":"container"}"#) }
        #expect(throws: PodmanFailure.self) { try PodmanDecoder.event(fromLine: "not json") }
    }

    // `podman container inspect`, podman 4.3.1 (captured, trimmed to the fields read).
    static let inspect4 = #"""
    [{"Id":"609e46ec529e","Created":"2026-11-27T11:05:36.1Z","Path":"/bin/httpd","State":{"OciVersion":"1.0.2-dev","Status":"running","Running":true,"Paused":false,"Pid":18043,"ExitCode":0,"Error":"","StartedAt":"2026-11-27T11:05:36.460382755Z","FinishedAt":"0001-01-01T00:00:00Z","Health":{"Status":"healthy","FailingStreak":0,"Log":[{"Start":"2026-11-27T11:05:37.966254481Z","End":"2026-11-27T11:05:38.143376741Z","ExitCode":0,"Output":""}]}},"Image":"05a2c379e213","ImageName":"localhost/oc-probe:1","Pod":"4b68513330ce","IsInfra":false,"Config":{"Labels":{"io.opencode-ops.role":"opencode","probe":"1"}}},
     {"Id":"aa","Name":"x-valkey","State":{"Status":"exited","ExitCode":3,"StartedAt":"2026-11-27T11:05:36Z"},"Image":"bb","ImageName":"v","Config":{"Labels":null}}]
    """#

    @Test func decodesContainerInspectWithHealth() throws {
        let containers = try PodmanDecoder.containers(fromInspect: Data(Self.inspect4.utf8))
        #expect(containers.count == 2)
        let first = containers[0]
        #expect(first.state == .running)
        #expect(first.health.status == .healthy)
        #expect(first.health.lastOutput == "")
        #expect(first.role == .opencode)
        #expect(first.imageID == "05a2c379e213")
        #expect(first.image == "localhost/oc-probe:1")
        #expect(first.exitCode == nil)
        let started = try #require(first.startedAt)
        #expect(first.uptime(now: started.addingTimeInterval(90)) == 90)
        #expect(containers[1].state == .exited)
        #expect(containers[1].exitCode == 3)
        #expect(containers[1].health.status == PodmanHealthStatus.none)
        #expect(containers[1].uptime(now: Date()) == nil)
    }

    // `podman pod inspect`: an object in 4.x (captured), an array in 5.x.
    static let podInspect4 = #"""
    {"Id":"4b68513330ce","Name":"probepod","Created":"2026-11-27T11:05:35.9966655Z","State":"Degraded","Labels":{"io.opencode-ops.managed":"true"},"InfraContainerID":"b7f5","Containers":[{"Id":"b7f5","Name":"4b68513330ce-infra","State":"running"},{"Id":"609e","Name":"probepod-opencode","State":"exited"}]}
    """#

    @Test func decodesPodInspectObjectAndArray() throws {
        let pod4 = try PodmanDecoder.pod(fromInspect: Data(Self.podInspect4.utf8))
        #expect(pod4.name == "probepod")
        #expect(pod4.state == .degraded)
        #expect(pod4.isManaged)
        #expect(pod4.workloadContainers.map(\.name) == ["probepod-opencode"])
        #expect(pod4.containers.first?.isInfra == true)
        let pod5 = try PodmanDecoder.pod(fromInspect: Data("[\(Self.podInspect4)]".utf8))
        #expect(pod5 == pod4)
    }

    // `podman pod ps --format json`, 4.3.1 (captured, trimmed).
    static let podPS = #"""
    [{"Cgroup":"/libpod_parent","Containers":[{"Id":"2803","Names":"probepod-fk","Status":"running"},{"Id":"b7f5","Names":"4b68513330ce-infra","Status":"running"}],"Created":"2026-11-27T11:05:35.9966655Z","Id":"4b68","InfraId":"b7f5","Name":"probepod","Namespace":"","Networks":["podman"],"Status":"Running","Labels":{"probe":"1"}}]
    """#

    @Test func decodesPodPS() throws {
        let pods = try PodmanDecoder.pods(fromPS: Data(Self.podPS.utf8))
        #expect(pods.count == 1)
        #expect(pods[0].state == .running)
        #expect(!pods[0].isManaged)
        #expect(pods[0].workloadContainers.map(\.name) == ["probepod-fk"])
        #expect(pods[0].createdAt != nil)
    }

    // `podman ps --all --format json`, 4.3.1 (captured, trimmed).
    static let ps = #"""
    [{"AutoRemove":false,"Command":null,"CreatedAt":"2 seconds ago","Exited":false,"ExitedAt":-62135596800,"ExitCode":0,"Id":"609e","Image":"localhost/oc-probe:1","ImageID":"05a2","IsInfra":false,"Labels":{"io.buildah.version":"1.28.2"},"Mounts":[],"Names":["probepod-oc"],"Pid":18043,"Pod":"4b68","PodName":"","Ports":null,"StartedAt":1795777536,"State":"running","Status":"Up 5 seconds ago (healthy)","Created":1795777536},
     {"Exited":true,"ExitCode":1,"Id":"77","Image":"i","ImageID":"j","IsInfra":true,"Labels":null,"Names":["x-infra"],"StartedAt":0,"State":"exited","Status":"Exited (1) 2 seconds ago"}]
    """#

    @Test func decodesPSWithHealthFromStatusText() throws {
        let containers = try PodmanDecoder.containers(fromPS: Data(Self.ps.utf8))
        #expect(containers[0].health.status == .healthy)
        #expect(containers[0].startedAt == Date(timeIntervalSince1970: 1_795_777_536))
        #expect(containers[1].isInfra)
        #expect(containers[1].exitCode == 1)
        #expect(containers[1].startedAt == nil)
        #expect(PodmanDecoder.healthFromStatusText("Up 1 second (starting)") == .starting)
        #expect(PodmanDecoder.healthFromStatusText("Up 1 second (unhealthy)") == .unhealthy)
    }

    // `podman image inspect`, 4.3.1 (captured, trimmed): Healthcheck at the top level, in ns.
    static let image = #"""
    [{"Id":"05a2c379e213","RepoTags":["localhost/oc-probe:1"],"Created":"2026-11-27T11:05:26.524318107Z","Config":{"ExposedPorts":{"4096/tcp":{}},"Env":["PATH=/usr/bin:/bin","FALKORDB_HOST=localhost","EMPTY=","A=B=C"],"Labels":{"io.buildah.version":"1.28.2"}},"Healthcheck":{"Test":["CMD-SHELL","wget -q -O /dev/null http://127.0.0.1:4096/config || exit 1"],"StartPeriod":4000000000,"Interval":2000000000,"Timeout":2000000000,"Retries":2}}]
    """#

    @Test func decodesImageEnvAndHealthcheck() throws {
        let image = try #require(try PodmanDecoder.images(fromInspect: Data(Self.image.utf8)).first)
        #expect(image.tags == ["localhost/oc-probe:1"])
        #expect(image.environmentDefaults["FALKORDB_HOST"] == "localhost")
        #expect(image.environmentDefaults["EMPTY"] == "")
        #expect(image.environmentDefaults["A"] == "B=C")
        let check = try #require(image.healthcheck)
        #expect(check.startPeriod == 4)
        #expect(check.interval == 2)
        #expect(check.retries == 2)
        #expect(check.healthDeadline == 12)
        let none = try PodmanDecoder.images(fromInspect: Data(#"[{"Id":"x","Config":{}}]"#.utf8))
        #expect(none.first?.healthcheck == nil)
    }

    @Test func reportsUnexpectedOutputWithTheCommand() {
        do {
            _ = try PodmanDecoder.containers(fromPS: Data("Error: something".utf8))
            Issue.record("decoded garbage")
        } catch {
            #expect(error.message.hasPrefix("could not read the output of podman ps"))
        }
    }
}
