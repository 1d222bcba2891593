import Foundation
import OpsAdapters
import OpsCore

/// One runner per area, each given the effects `update` returns for it. The run loop keeps
/// what needs the terminal (themes it applies at once, `exec`); everything else comes here.
public final class ConsoleRunners: Sendable {
    let context: ConsoleContext
    let pod: PodEffectRunner
    let build: BuildEffectRunner
    let health: HealthEffectRunner
    let backups: BackupsEffectRunner
    let jobs: JobsEffectRunner
    let kube: KubeEffectRunner
    let images: ImagesEffectRunner
    let stats: StatsEffectRunner
    let logFiles: LogSaveRunner
    let reload: ConfigReloadRunner

    public init(context: ConsoleContext) {
        self.context = context
        pod = PodEffectRunner(context: context)
        build = BuildEffectRunner(context: context)
        health = HealthEffectRunner(context: context)
        backups = BackupsEffectRunner(context: context)
        jobs = JobsEffectRunner(context: context)
        kube = KubeEffectRunner(context: context)
        images = ImagesEffectRunner(context: context)
        stats = StatsEffectRunner(context: context)
        logFiles = LogSaveRunner(context: context)
        reload = ConfigReloadRunner(context: context)
    }

    /// Hands `effect` to its runner; false for the effects the run loop performs itself.
    public func perform(_ effect: Effect) -> Bool {
        switch effect {
        case .pod(let effect): pod.perform(effect)
        case .build(let effect): build.perform(effect)
        case .health(let effect): health.perform(effect)
        case .backups(let effect): backups.perform(effect)
        case .jobs(let effect): jobs.perform(effect)
        case .kube(let effect): kube.perform(effect)
        case .images(let effect): images.perform(effect)
        case .stats(let effect): stats.perform(effect)
        case .saveLog(let request): logFiles.perform(request)
        case .watchConfig: reload.watchConfig()
        case .wake(let time):
            let post = context.post
            DispatchQueue.global().asyncAfter(deadline: .now() + max(0, time.timeIntervalSinceNow)) {
                post(.tick(Date()))
            }
        case .loadTheme, .reloadTheme, .quit, .exec:
            return false
        }
        return true
    }

    /// Called when the console closes: every watch and follower stops; jobs go on.
    public func stop() {
        pod.stop()
        build.stop()
        health.stop()
        backups.stop()
        jobs.stop()
        stats.perform(.stop)
        reload.stop()
    }
}
