/// Every variable the OpenCode image, its entrypoint, the backup scripts and the Graphiti helper
/// read, in the order the Environment view lists them.
public enum EnvCatalogue {
    static let b2Triggers = ["B2_APPLICATION_KEY_ID", "B2_APPLICATION_KEY", "B2_BUCKET", "B2_PREFIX", "BACKUP_SCHEDULE"]
    static let b2Requirement = EnvRequirement.requiredWhenAnySet(b2Triggers, unless: ["BACKUP_REMOTE"])

    public static let variables: [EnvVariableSpec] = groups.flatMap(\.variables)

    /// The variables by feature, titled, in the order the secrets template lists them.
    public static let groups: [EnvVariableGroup] = [
        EnvVariableGroup("OpenCode server", opencode),
        EnvVariableGroup("Model providers", providers),
        EnvVariableGroup("Graphiti memory", graphiti),
        EnvVariableGroup("FalkorDB and Valkey sidecars", databases),
        EnvVariableGroup("Datadog tracing", datadog),
        EnvVariableGroup("Backups", backups),
    ]

    /// Variables `init` fills with a generated random value, so a first `up` is authenticated.
    public static let generatedSecrets = ["OPENCODE_SERVER_PASSWORD", "FALKORDB_PASSWORD", "VALKEY_PASSWORD"]

    public static func spec(named name: String) -> EnvVariableSpec? {
        variables.first { $0.name == name }
    }

    static let opencode: [EnvVariableSpec] = [
        .init("OPENCODE_SERVER_PASSWORD", "turns on HTTP basic auth for the OpenCode server",
              neededBy: "OpenCode server, health probe", secret: true),
        .init("OPENCODE_SERVER_USERNAME", "basic auth user name", neededBy: "OpenCode server, health probe",
              defaultValue: "opencode"),
        .init("OPENCODE_DATA_DIR", "OpenCode state directory to back up", neededBy: "backups",
              defaultValue: "/root/.local/share/opencode"),
        .init("OPENCODE_CONFIG_DIR", "OpenCode config directory to back up", neededBy: "backups",
              defaultValue: "/root/.config/opencode"),
    ]

    static let providers: [EnvVariableSpec] = [
        .init("OPENAI_API_KEY", "OpenAI key: OpenCode provider, Graphiti LLM and embedder",
              neededBy: "Graphiti memory, OpenCode", secret: true),
        .init("OPENAI_BASE_URL", "OpenAI-compatible endpoint for Graphiti", neededBy: "Graphiti memory"),
        .init("ANTHROPIC_API_KEY", "Anthropic key for OpenCode", neededBy: "OpenCode", secret: true),
    ]

    static let graphiti: [EnvVariableSpec] = [
        .init("MODEL_NAME", "LLM model Graphiti extracts with", neededBy: "Graphiti memory"),
        .init("SMALL_MODEL_NAME", "smaller LLM model for simple steps", neededBy: "Graphiti memory"),
        .init("EMBEDDER_MODEL_NAME", "embedding model", neededBy: "Graphiti memory"),
        .init("GRAPHITI_GROUP_ID", "memory partition (group id)", neededBy: "Graphiti memory"),
        .init("GRAPHITI_TELEMETRY_ENABLED", "graphiti-core telemetry", neededBy: "Graphiti memory",
              defaultValue: "false"),
        .init("GRAPHITI_CLIENT_FACTORY", "module:function building the LLM, embedder and reranker",
              neededBy: "Graphiti memory"),
    ]

    static let databases: [EnvVariableSpec] = [
        .init("FALKORDB_HOST", "FalkorDB host inside the pod", neededBy: "Graphiti memory, backups, health probe",
              requirement: .required, defaultValue: "localhost"),
        .init("FALKORDB_PORT", "FalkorDB port", neededBy: "Graphiti memory, backups, health probe",
              requirement: .required, defaultValue: "6379"),
        .init("FALKORDB_USERNAME", "FalkorDB ACL user", neededBy: "Graphiti memory, health probe"),
        .init("FALKORDB_PASSWORD", "FalkorDB password", neededBy: "Graphiti memory, backups, health probe", secret: true),
        .init("VALKEY_HOST", "Valkey host inside the pod", neededBy: "backups, health probe",
              requirement: .required, defaultValue: "localhost"),
        .init("VALKEY_PORT", "Valkey port", neededBy: "backups, health probe", requirement: .required, defaultValue: "6380"),
        .init("VALKEY_PASSWORD", "Valkey password", neededBy: "backups, health probe", secret: true),
    ]

    static let datadog: [EnvVariableSpec] = [
        .init("DD_API_KEY", "Datadog API key: set, backups and restores report to Datadog", neededBy: "backup reports", secret: true),
        .init("DD_SITE", "Datadog site the backup reports go to", neededBy: "backup reports", defaultValue: "datadoghq.com"),
        .init("DD_AGENT_HOST", "trace agent host", neededBy: "tracing, health probe", defaultValue: "localhost"),
        .init("DD_TRACE_AGENT_PORT", "trace agent port", neededBy: "tracing, health probe", defaultValue: "8126"),
        .init("DD_TRACE_AGENT_URL", "trace agent URL (wins over host and port)", neededBy: "tracing, health probe"),
        .init("DD_SERVICE", "service name on traces", neededBy: "tracing"),
        .init("DD_ENV", "environment tag on traces", neededBy: "tracing"),
        .init("DD_VERSION", "version tag on traces", neededBy: "tracing"),
    ]

    static let backups: [EnvVariableSpec] = [
        .init("B2_APPLICATION_KEY_ID", "Backblaze B2 application key id", neededBy: "backups", secret: true,
              requirement: b2Requirement),
        .init("B2_APPLICATION_KEY", "Backblaze B2 application key", neededBy: "backups", secret: true,
              requirement: b2Requirement),
        .init("B2_BUCKET", "B2 bucket the backups go to", neededBy: "backups", requirement: b2Requirement),
        .init("B2_PREFIX", "folder inside the bucket", neededBy: "backups"),
        .init("BACKUP_SCHEDULE", "cron schedule for backups; unset means manual only", neededBy: "scheduled backups"),
        .init("BACKUP_VERIFY_SCHEDULE", "cron schedule for verify drills of the newest backup; unset means none",
              neededBy: "backup drills"),
        .init("BACKUP_PASSWORD", "encrypts backups at rest (rclone crypt); unset means not encrypted",
              neededBy: "backups", secret: true),
        .init("BACKUP_SOURCES", "what to back up", neededBy: "backups", defaultValue: "falkordb,valkey,data,config"),
        .init("BACKUP_EXCLUDE", "patterns left out of the data archive", neededBy: "backups", defaultValue: "bin/*,log/*"),
        .init("BACKUP_KEEP_LAST", "retention: newest backups kept", neededBy: "backup retention", defaultValue: "0"),
        .init("BACKUP_KEEP_DAILY", "retention: daily backups kept", neededBy: "backup retention", defaultValue: "0"),
        .init("BACKUP_KEEP_WEEKLY", "retention: weekly backups kept", neededBy: "backup retention", defaultValue: "0"),
        .init("BACKUP_RETENTION_DRY_RUN", "report what retention would delete", neededBy: "backup retention",
              defaultValue: "false"),
        .init("BACKUP_INCOMPLETE_MAX_AGE_HOURS", "age after which unfinished uploads are removed",
              neededBy: "backup retention", defaultValue: "24"),
        .init("BACKUP_HISTORY_KEEP", "runs kept in the backup history", neededBy: "backups", defaultValue: "100"),
        .init("BACKUP_STATS_INTERVAL", "rclone progress interval", neededBy: "backups", defaultValue: "1s"),
        .init("BACKUP_REDIS_TIMEOUT", "seconds allowed for a database snapshot", neededBy: "backups", defaultValue: "600"),
        .init("BACKUP_STATE_DIR", "where backup state is kept", neededBy: "backups", defaultValue: "/var/lib/opencode-backup"),
        .init("BACKUP_STAGING_DIR", "scratch space for archives", neededBy: "backups",
              defaultValue: "/var/lib/opencode-backup/staging"),
        .init("BACKUP_REMOTE", "an rclone remote used instead of B2", neededBy: "backups", inlineCredentials: true),
        .init("BACKUP_B2_ENDPOINT", "B2 API endpoint override", neededBy: "backups"),
    ]
}
