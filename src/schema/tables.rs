//! The built-in schemas: one table per EM query type, transcribed from the parameter tables of
//! Veeam's Enterprise Manager REST API reference (`GET /query?type=<Type>`), as summarised in
//! `shared/reference/em-query-language.md` §4 and §7. Enum values are in documented order.

use super::{Enum, Field, FieldType, Schema};

use FieldType::{Boolean, DateTime, Int64, String, Uid};

/// `Result` of every session type. Running sessions carry `None`, which is not documented.
static SESSION_RESULT: Enum = Enum::new(&["Success", "Warning", "Failed"], &["None"]);
/// `State` of job sessions.
static JOB_SESSION_STATE: Enum = Enum::new(
    &[
        "Starting", "Stopping", "Working", "Pausing", "Resuming", "Stopped",
    ],
    &[],
);
/// `State` of task sessions.
static TASK_SESSION_STATE: Enum = Enum::new(&["InProgress", "Pending", "Completed"], &[]);
/// `State` of restore sessions.
static RESTORE_SESSION_STATE: Enum =
    Enum::new(&["Starting", "Stopping", "Working", "Stopped"], &[]);
static REPLICA_JOB_TYPE: Enum = Enum::new(&["Replica"], &[]);
static BACKUP_JOB_SESSION_TYPE: Enum = Enum::new(
    &[
        "Backup",
        "BackupCopy",
        "ImmediateBackupCopy",
        "ImmediateBackupCopyWorker",
        "AgentBackup",
        "AgentManagement",
        "NasBackup",
    ],
    &[],
);
static RESTORE_TYPE: Enum = Enum::new(&["FileLevelRestore", "RestoreVm"], &[]);
static JOB_TYPE: Enum = Enum::new(
    &["Backup", "BackupCopy", "ImmediateBackupCopy", "Replica"],
    &[],
);
static JOB_PLATFORM: Enum = Enum::new(&["VMware", "Hyperv", "vCloud"], &[]);

/// `type=ReplicaJobSession` (reference §4).
pub static REPLICA_JOB_SESSION: Schema = Schema::new(
    "ReplicaJobSession",
    &[
        Field::new("UID", Uid("ReplicaJobSession")),
        Field::new("Name", String),
        Field::new("JobType", FieldType::Enum(&REPLICA_JOB_TYPE)),
        Field::new("JobUid", Uid("Job")),
        Field::new("JobName", String),
        Field::new("CreationTime", DateTime),
        Field::new("EndTime", DateTime),
        Field::new("State", FieldType::Enum(&JOB_SESSION_STATE)),
        Field::new("Result", FieldType::Enum(&SESSION_RESULT)),
        Field::new("IsRetry", Boolean),
        Field::new("BackupServerUid", Uid("BackupServer")),
        Field::new("BackupServerName", String),
    ],
);

/// `type=BackupJobSession` (reference §7).
static BACKUP_JOB_SESSION: Schema = Schema::new(
    "BackupJobSession",
    &[
        Field::new("UID", Uid("BackupJobSession")),
        Field::new("Name", String),
        Field::new("JobType", FieldType::Enum(&BACKUP_JOB_SESSION_TYPE)),
        Field::new("JobUid", Uid("Job")),
        Field::new("JobName", String),
        Field::new("CreationTime", DateTime),
        Field::new("EndTime", DateTime),
        Field::new("State", FieldType::Enum(&JOB_SESSION_STATE)),
        Field::new("Result", FieldType::Enum(&SESSION_RESULT)),
        Field::new("IsRetry", Boolean),
        Field::new("BackupServerUid", Uid("BackupServer")),
        Field::new("BackupServerName", String),
    ],
);

/// The fields shared by BackupTaskSession and ReplicaTaskSession (reference §7), for a task of a
/// job session of type `job_session`.
macro_rules! task_session {
    ($name:literal, $job_session:literal) => {
        Schema::new(
            $name,
            &[
                Field::new("UID", Uid($name)),
                Field::new("Name", String),
                Field::new("CreationTime", DateTime),
                Field::new("EndTime", DateTime),
                Field::new("State", FieldType::Enum(&TASK_SESSION_STATE)),
                Field::new("Result", FieldType::Enum(&SESSION_RESULT)),
                Field::new("Reason", String),
                Field::new("TotalSize", Int64),
                Field::new("JobSessionUid", Uid($job_session)),
                Field::new("JobUid", Uid("Job")),
                Field::new("JobName", String),
                Field::new("BackupServerUid", Uid("BackupServer")),
                Field::new("BackupServerName", String),
                Field::new("VmDisplayName", String),
            ],
        )
    };
}

/// `type=BackupTaskSession` (reference §7).
static BACKUP_TASK_SESSION: Schema = task_session!("BackupTaskSession", "BackupJobSession");
/// `type=ReplicaTaskSession` (reference §7).
static REPLICA_TASK_SESSION: Schema = task_session!("ReplicaTaskSession", "ReplicaJobSession");

/// `type=RestoreSession` (reference §7).
static RESTORE_SESSION: Schema = Schema::new(
    "RestoreSession",
    &[
        Field::new("UID", Uid("RestoreSession")),
        Field::new("Name", String),
        Field::new("Type", FieldType::Enum(&RESTORE_TYPE)),
        Field::new("CreationTime", DateTime),
        Field::new("EndTime", DateTime),
        Field::new("State", FieldType::Enum(&RESTORE_SESSION_STATE)),
        Field::new("Result", FieldType::Enum(&SESSION_RESULT)),
        Field::new("BackupServerUid", Uid("BackupServer")),
        Field::new("BackupServerName", String),
        Field::new("VmDisplayName", String),
    ],
);

/// `type=Job` (reference §7).
static JOB: Schema = Schema::new(
    "Job",
    &[
        Field::new("UID", Uid("Job")),
        Field::new("Name", String),
        Field::new("Description", String),
        Field::new("NextRun", DateTime),
        Field::new("JobType", FieldType::Enum(&JOB_TYPE)),
        Field::new("Platform", FieldType::Enum(&JOB_PLATFORM)),
        Field::new("ScheduleConfigured", Boolean),
        Field::new("ScheduleEnabled", Boolean),
        Field::new("BackupServerUid", Uid("BackupServer")),
        Field::new("BackupServerName", String),
    ],
);

/// `type=BackupServer` (reference §7).
static BACKUP_SERVER: Schema = Schema::new(
    "BackupServer",
    &[
        Field::new("UID", Uid("BackupServer")),
        Field::new("Name", String),
        Field::new("Description", String),
        Field::new("IpOrDnsName", String),
        Field::new("Port", Int64),
        Field::new("Version", String),
    ],
);

/// `type=Repository` (reference §7).
static REPOSITORY: Schema = Schema::new(
    "Repository",
    &[
        Field::new("UID", Uid("Repository")),
        Field::new("Name", String),
        Field::new("FreeSpace", Int64),
        Field::new("Capacity", Int64),
        Field::new("BackupServerUid", Uid("BackupServer")),
        Field::new("BackupServerName", String),
    ],
);

pub(super) static ALL: &[&Schema] = &[
    &REPLICA_JOB_SESSION,
    &BACKUP_JOB_SESSION,
    &BACKUP_TASK_SESSION,
    &REPLICA_TASK_SESSION,
    &RESTORE_SESSION,
    &JOB,
    &BACKUP_SERVER,
    &REPOSITORY,
];
