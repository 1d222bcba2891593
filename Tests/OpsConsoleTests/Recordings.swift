/// Jobs recorded from the real program: `opencode-ops jobs start build` (and `restore`) run
/// against podman, with the status.json and output.log the job left under the state folder
/// (the build context's path and the image's name replaced). The restore whose sidecar load
/// fails is put together from what `backup restore` writes, line for line: a real one needs the
/// B2 stand-in and a running pod.
enum Recordings {
    /// A Containerfile whose `RUN` exits 3.
    static let failedBuild = RecordedJobs.Job(
        status: #"""
        {"arguments":["build"],"ended_at":"2026-11-29T02:38:32Z","exit_code":1,"id":"build-20261129T023831Z-118c","kind":"build","pid":22175,"started_at":"2026-11-29T02:38:31Z","state":"failed","user":"root"}
        """#,
        log: #"""
        job build-20261129T023831Z-118c: opencode-ops build, started by root at 2026-11-29 02:38:31
        building /srv/opencode/build/Containerfile as localhost/opencode-ops-test/example:fail
        @opencode-ops-event {"progress":{"instruction":"FROM localhost/opencode-ops-test/debian:bookworm","step":1,"total":2}}
        STEP 1/2: FROM localhost/opencode-ops-test/debian:bookworm
        @opencode-ops-event {"progress":{"instruction":"RUN echo compiling && exit 3","step":2,"total":2}}
        STEP 2/2: RUN echo compiling && exit 3
        compiling
        Error: building at STEP "RUN echo compiling && exit 3": while running runtime: exit status 3
        @opencode-ops-event {"buildFailed":{"duration":0.8483153581619263,"exitCode":3,"message":"building at STEP \"RUN echo compiling && exit 3\": while running runtime: exit status 3"}}
        error: build failed after 1 s: building at STEP "RUN echo compiling && exit 3": while running runtime: exit status 3
        job build-20261129T023831Z-118c failed (exit 1)
        """#
    )

    /// A build of two steps that tags its image.
    static let build = RecordedJobs.Job(
        status: #"""
        {"arguments":["build"],"ended_at":"2026-11-29T02:39:07Z","exit_code":0,"id":"build-20261129T023906Z-283a","kind":"build","pid":25427,"started_at":"2026-11-29T02:39:06Z","state":"succeeded","user":"root"}
        """#,
        log: #"""
        job build-20261129T023906Z-283a: opencode-ops build, started by root at 2026-11-29 02:39:06
        building /srv/opencode/build/Containerfile as localhost/opencode-ops-test/example:ok
        @opencode-ops-event {"progress":{"instruction":"FROM localhost/opencode-ops-test/debian:bookworm","step":1,"total":2}}
        STEP 1/2: FROM localhost/opencode-ops-test/debian:bookworm
        @opencode-ops-event {"progress":{"instruction":"RUN echo compiling","step":2,"total":2}}
        STEP 2/2: RUN echo compiling
        compiling
        COMMIT
        --> 12e36412f73
        12e36412f7328de5429d83c4117eadae3b245ea2f19268764852dcaa11e0d474
        @opencode-ops-event {"built":{"duration":1.6986987590789795,"imageID":"12e36412f7328de5429d83c4117eadae3b245ea2f19268764852dcaa11e0d474","tag":"localhost/opencode-ops-test/example:ok"}}
        built localhost/opencode-ops-test/example:ok (12e36412f732) in 2 s
        job build-20261129T023906Z-283a succeeded
        """#
    )

    /// A restore started while the pod was down: refused before the scripts ran.
    static let restoreWithoutPod = RecordedJobs.Job(
        status: #"""
        {"arguments":["backup","restore","20261127T020000Z-1a2b","--yes"],"ended_at":"2026-11-29T02:38:49Z","exit_code":1,"id":"restore-20261129T023849Z-ed5c","kind":"restore","pid":23937,"started_at":"2026-11-29T02:38:49Z","state":"failed","target":{"backup":{"id":"20261127T020000Z-1a2b"}},"user":"root"}
        """#,
        log: #"""
        job restore-20261129T023849Z-ed5c: opencode-ops backup restore 20261127T020000Z-1a2b --yes, started by root at 2026-11-29 02:38:49
        error: no pod running: pod capture does not exist (bring it up with `opencode-ops up`)
        job restore-20261129T023849Z-ed5c failed (exit 1)
        """#
    )

    /// A restore whose data came back but whose FalkorDB reload was refused.
    static let restoreWithFailedReload = RecordedJobs.Job(
        status: #"""
                {"arguments":["backup","restore","20261127T020000Z-1a2b","--yes"],"ended_at":"2026-11-29T02:41:12Z","exit_code":1,"id":"restore-20261129T024100Z-5e0f","kind":"restore","pid":24511,"started_at":"2026-11-29T02:41:00Z","state":"failed","target":{"backup":{"id":"20261127T020000Z-1a2b"}},"user":"root"}
                """#,
        log: #"""
                job restore-20261129T024100Z-5e0f: opencode-ops backup restore 20261127T020000Z-1a2b --yes, started by root at 2026-11-29 02:41:00
                restore 20261127T020000Z-1a2b will overwrite:
                  /data/opencode (OpenCode's data)
                  falkordb dump.rdb, valkey dump.rdb
                downloading 20261127T020000Z-1a2b
                restoring files
                @opencode-ops-event {"sidecarLoaded":{"detail":"3 keys","service":"valkey","succeeded":true}}
                valkey: loaded: 3 keys
                @opencode-ops-event {"sidecarLoaded":{"detail":"DEBUG RELOAD: ERR unknown command","service":"falkordb","succeeded":false}}
                falkordb: NOT loaded: DEBUG RELOAD: ERR unknown command
                @opencode-ops-event {"restoreEnded":{"backupID":"20261127T020000Z-1a2b","problem":"falkordb: DEBUG RELOAD: ERR unknown command"}}
                restore 20261127T020000Z-1a2b FAILED: falkordb: DEBUG RELOAD: ERR unknown command
                job restore-20261129T024100Z-5e0f failed (exit 1)
                """#
    )

    /// A rebuild that podman refused before building: its own words are a `failed` event.
    static let rebuildRefused = RecordedJobs.Job(
        status: #"""
        {"arguments":["rebuild"],"ended_at":"2026-11-29T02:42:01Z","exit_code":1,"id":"rebuild-20261129T024200Z-77aa","kind":"rebuild","pid":24620,"started_at":"2026-11-29T02:42:00Z","state":"failed","target":{"image":{"tag":"localhost/opencode-ops-test/example:ok"}},"user":"root"}
        """#,
        log: #"""
        job rebuild-20261129T024200Z-77aa: opencode-ops rebuild, started by root at 2026-11-29 02:42:00
        @opencode-ops-event {"failed":{"message":"podman: no such image"}}
        error: podman: no such image
        job rebuild-20261129T024200Z-77aa failed (exit 1)
        """#
    )
}
