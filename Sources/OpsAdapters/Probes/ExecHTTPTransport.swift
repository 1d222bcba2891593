import Foundation

/// Plain HTTP GETs made from inside a container with `python3` (the OpenCode image has it),
/// through a command runner such as `PodmanExec`: for a pod on a remote podman, whose ports are
/// that host's, not this machine's. The Authorization header travels in an environment variable
/// (`--env NAME`: podman copies the value), never as an argument.
public struct ExecHTTPTransport: HTTPTransport {
    public static let authorizationVariable = "OPS_HTTP_AUTHORIZATION"

    public var runner: CommandRunner

    public init(runner: @escaping CommandRunner) {
        self.runner = runner
    }

    public var route: String? { "podman exec" }

    public func get(_ request: HTTPRequest) async throws -> HTTPResponse {
        guard request.url.scheme == "http" else { throw HTTPTransportError.other("only http:// URLs are handled here") }
        let hostPort = "\(request.url.host ?? "?"):\(request.url.port ?? 80)"
        var environment: [String: String] = [:]
        if let authorization = request.headers["Authorization"] { environment[Self.authorizationVariable] = authorization }
        let result = try await runner(
            ["python3", "-c", Self.script, request.url.absoluteString, String(request.timeout)], environment
        )
        let reason = result.stderrText.trimmingCharacters(in: .whitespacesAndNewlines)
        switch result.exitCode {
        case 0: return try Self.parse(result.stdout, from: hostPort)
        case 3: throw HTTPTransportError.refused(hostPort + " in the container")
        case 4: throw HTTPTransportError.timedOut(request.timeout)
        case 5: throw HTTPTransportError.unreachable(hostPort + " from the container (\(reason.prefix(120)))")
        case 126, 127:
            throw HTTPTransportError.other("the container has no python3 to reach \(hostPort) with")
        default:
            let podman = PodmanClient.lastErrorLine(result.stderrText) ?? "no output"
            throw HTTPTransportError.other("podman exec failed (exit \(result.exitCode)): \(podman.prefix(200))")
        }
    }

    /// The script's answer: the status code on the first line, then the body as sent.
    static func parse(_ output: Data, from hostPort: String) throws -> HTTPResponse {
        guard let newline = output.firstIndex(of: UInt8(ascii: "\n")),
              let code = Int(String(decoding: output[output.startIndex..<newline], as: UTF8.self)) else {
            throw HTTPTransportError.other("malformed answer from the request to \(hostPort) in the container")
        }
        return HTTPResponse(statusCode: code, body: Data(output[output.index(after: newline)...]))
    }

    /// No proxies (the container's own variables might name one) and no redirects followed
    /// silently beyond urllib's default; bodies are cut at 1 MiB like the socket client's.
    static let script = """
    import os, socket, sys, urllib.error, urllib.request
    request = urllib.request.Request(sys.argv[1], headers={"Accept": "application/json", "User-Agent": "opencode-ops"})
    authorization = os.environ.get("\(authorizationVariable)")
    if authorization:
        request.add_header("Authorization", authorization)
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(request, timeout=float(sys.argv[2])) as answer:
            code, body = answer.status, answer.read(\(SocketHTTPTransport.maximumBody))
    except urllib.error.HTTPError as error:
        code, body = error.code, error.read(\(SocketHTTPTransport.maximumBody))
    except urllib.error.URLError as error:
        reason = error.reason
        sys.stderr.write(str(reason))
        sys.exit(3 if isinstance(reason, ConnectionRefusedError) else 4 if isinstance(reason, (TimeoutError, socket.timeout)) else 5)
    except (TimeoutError, socket.timeout):
        sys.exit(4)
    sys.stdout.write("%d\\n" % code)
    sys.stdout.flush()
    sys.stdout.buffer.write(body)
    """
}
