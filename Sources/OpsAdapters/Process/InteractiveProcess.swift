import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs a program on this process's own terminal (stdin, stdout and stderr handed over) and waits
/// for it. While it runs, SIGINT and SIGQUIT are ignored here, as system(3) does, so a Ctrl-C
/// typed into the program stops only the program; the child starts with the default handlers.
public enum InteractiveProcess {
    /// Returns the program's exit status (128 + N when signal N ended it).
    public static func run(
        _ executable: String, arguments: [String], environment: [String: String]
    ) throws(ProcessLaunchError) -> Int32 {
        let path = try ProcessRunner(environment: environment).locate(executable).path
        var ignore = sigaction()
        #if os(Linux)
        ignore.__sigaction_handler.sa_handler = SIG_IGN
        #else
        ignore.__sigaction_u.__sa_handler = SIG_IGN
        #endif
        sigemptyset(&ignore.sa_mask)
        var savedInterrupt = sigaction()
        var savedQuit = sigaction()
        sigaction(SIGINT, &ignore, &savedInterrupt)
        sigaction(SIGQUIT, &ignore, &savedQuit)
        defer {
            sigaction(SIGINT, &savedInterrupt, nil)
            sigaction(SIGQUIT, &savedQuit, nil)
        }
        let pid: pid_t
        switch Spawn.start(path, arguments: arguments, environment: environment, descriptors: [0, 1, 2]) {
        case .success(let started): pid = started
        case .failure(let error): throw .launchFailed(executable: path, reason: error.reason)
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }
}
