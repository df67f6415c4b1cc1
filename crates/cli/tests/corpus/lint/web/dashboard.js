// Backup dashboard widgets.
const EM = process.env.EM_URL;

export async function failedReplicas(job) {
  // Correct.
  const url = `${EM}/api/query?type=ReplicaJobSession&filter=JobName==%22${encodeURIComponent(job)}%22;Result==Failed&pageSize=20`;
  const running = EM + "/api/query?type=BackupJobSession&filter=State==Working&pageSize=" + size;
  const params = new URLSearchParams({ type: "Repository", filter: "FreeSpace<1099511627776" });
  return Promise.all([fetch(url), fetch(running), fetch(`${EM}/api/query?${params}`)]);
}

export async function mistakes() {
  // Mistakes.
  const a = `${EM}/api/query?type=ReplicaJobSession&filter=Result==Failed&amp;pageSize=20`;
  const b = `${EM}/api/query?type=ReplicaJobSession&filter=JobNmae==%22nightly%22`;
  return Promise.all([fetch(a), fetch(b)]);
}
