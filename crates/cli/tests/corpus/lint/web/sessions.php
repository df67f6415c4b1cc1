<?php
// Status page: recent backup sessions.
$em = 'https://em01.corp.local:9398/api';

// Correct.
$recent = $em . '/query?type=BackupJobSession&format=Entities&sortDesc=CreationTime&pageSize=50&filter=Result!=Success;CreationTime>=' . $since;
$params = array('type' => 'RestoreSession', 'filter' => 'Type==RestoreVm;Result==Failed');
$byJob = $em . "/query?type=BackupJobSession&filter=JobName==%22" . urlencode($job) . "%22";

// Mistakes.
$exchange = "$em/query?type=BackupJobSession&filter=JobName==Exchange Backup";
$typo = ['type' => 'BackupJobSession', 'filter' => 'Result==Sucess'];
?>
<p>Failed backups: <a href="https://em01.corp.local:9398/api/query?type=BackupJobSession&amp;filter=Result==Failed">list</a></p>
