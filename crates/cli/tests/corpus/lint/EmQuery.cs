using System;
using System.Net.Http;

namespace Corp.Backup.Monitoring
{
    public sealed class EmQuery
    {
        private readonly string _base = "https://em01.corp.local:9398/api";

        // Correct.
        public Uri Failed(string job) =>
            new Uri($"{_base}/query?type=BackupJobSession&filter=JobName==%22{Uri.EscapeDataString(job)}%22;Result==Failed&pageSize=50");

        public Uri Since(DateTime since) =>
            new Uri(_base + "/query?type=ReplicaJobSession&filter=CreationTime>=" + since.ToString("o") + "&sortDesc=CreationTime");

        public object JobsQuery() => new { type = "Job", filter = "JobType==Replica" };

        // Mistakes.
        public Uri Running() =>
            new Uri($"{_base}/query?type=BackupJobSession&filter=State=Working");

        public Uri ByUid(Guid job) =>
            new Uri($"{_base}/query?type=BackupJobSession&filter=JobUid=={{{job}}}&sortAsc=CreationTime&sortAsc=creationtime");
    }
}
