<#
.SYNOPSIS
    Daily Veeam report: failed replicas, running backups, tasks of the last night.
#>
param(
    [string]$Server = 'em01.corp.local',
    [string]$JobName = 'SQL Replica'
)

$headers = @{ 'X-RestSvcSessionId' = $token; Accept = 'application/json' }
$base = "https://$($Server):9398/api"

# Correct: the host is interpolated, the string ends at its own quote.
$failed = Invoke-RestMethod -Headers $headers -Uri "https://$($Server):9398/api/query?type=ReplicaJobSession&filter=Result==Failed&pageSize=1"
$byName = Invoke-RestMethod -Headers $headers -Uri "$base/query?type=ReplicaJobSession&format=Entities&filter=JobName==%22$JobName%22"
$recent = Invoke-RestMethod -Headers $headers -Uri "$base/query?type=BackupJobSession&sortDesc=CreationTime&filter=CreationTime>=$($since.ToString('o'))"

# The type sits beside the filter in the hashtable.
$body = @{ type = 'BackupTaskSession'; filter = 'State==Completed;Result==Failed' }
$tasks = Invoke-RestMethod -Headers $headers -Uri "$base/query" -Body $body

$jobQuery = @{
    type     = 'Job'
    pageSize = 100
    filter   = 'JobType==Backup;ScheduleEnabled==True'
}

# Mistakes.
$cloud = Invoke-RestMethod -Headers $headers -Uri "$base/query?type=Job&filter=Platform==vCloud&JobType==Backup"
$slow = Invoke-RestMethod -Headers $headers -Uri "$base/query?type=BackupJobSession&filter=Result==Failed and State==Stopped"
$bad = @{ type = 'BackupTaskSession'; filter = 'Status==Failed' }
