# A chatty container's output, for the log-flood benchmark and journey test. Reads /tmp/mode ten
# times a second: "flood" prints numbered lines ("flood line N", so the newest is known) at up to
# `rate` a second; anything else pauses, saying "flood paused after N lines" once.
# Run: awk -v rate=50000 -f flood.awk
BEGIN {
    n = 0; flooding = 0; batch = int(rate / 5)
    while (1) {
        mode = ""
        getline mode < "/tmp/mode"
        close("/tmp/mode")
        if (mode == "flood") {
            if (!flooding) { flooding = 1; start = systime(); sent = 0 }
            allowed = (systime() - start + 1) * rate
            for (i = 0; i < batch && sent < allowed; i++) { print "flood line " n; n++; sent++ }
            fflush()
        } else if (flooding) {
            flooding = 0
            print "flood paused after " n " lines"
            fflush()
        }
        system("sleep 0.1")
    }
}
