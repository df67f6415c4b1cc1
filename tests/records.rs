//! Records as EM writes them, shared by the library's tests and the command line's
//! (crates/cli/tests includes this file).

/// A ReplicaJobSession entity as EM writes it, with `changes` merged in (`null` values kept,
/// `"-"` removes the member).
pub fn session(changes: serde_json::Value) -> String {
    let mut s = serde_json::json!({
        "IsRetry": false,
        "JobUid": "urn:veeam:Job:dce85686-59c8-42c4-8766-f1c00a5b8067",
        "JobName": "SQL Replica",
        "JobType": "Replica",
        "CreationTimeUTC": "2026-11-21T22:00:04.2214567Z",
        "EndTimeUTC": "2026-11-21T22:41:10.5Z",
        "State": "Stopped",
        "Result": "Failed",
        "Progress": 100,
        "FailureMessage": "Processing sql01 Error: Failed to create snapshot",
        "Name": "SQL Replica@2026-11-21 22:00:04.221456",
        "UID": "urn:veeam:ReplicaJobSession:5d0e8d43-1f4a-4c8e-9a55-0f1b7b2e9c11",
        "Links": [
            {"Rel": "Up", "Href": "https://em01.tech.local:9398/api/jobs/dce85686-59c8-42c4-8766-f1c00a5b8067",
             "Name": "SQL Replica", "Type": "JobReference"},
            {"Rel": "Up", "Href": "https://em01.tech.local:9398/api/backupServers/15942270-fb56-4dcc-96e9-5f80e4725a15",
             "Name": "enterprise06.tech.local", "Type": "BackupServerReference"}
        ],
        "Href": "https://em01.tech.local:9398/api/replicaSessions/5d0e8d43-1f4a-4c8e-9a55-0f1b7b2e9c11?format=Entity",
        "Type": "ReplicaJobSession"
    });
    let map = s.as_object_mut().unwrap();
    for (k, v) in changes.as_object().unwrap() {
        if v == "-" {
            map.remove(k);
        } else {
            map.insert(k.clone(), v.clone());
        }
    }
    s.to_string()
}
