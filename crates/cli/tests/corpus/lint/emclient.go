package emclient

import (
	"fmt"
	"net/url"
)

// FailedSessions lists the failed sessions of one job.
func (c *Client) FailedSessions(job string) (*Page, error) {
	// Correct: the value is escaped by url.QueryEscape and interpolated.
	u := fmt.Sprintf("%s/api/query?type=BackupJobSession&filter=JobName==%%22%s%%22;Result==Failed", c.base, url.QueryEscape(job))
	return c.get(u)
}

// Jobs lists the scheduled backup jobs.
func (c *Client) Jobs() (*Page, error) {
	q := map[string]string{"type": "Job", "filter": "JobType==Backup;ScheduleEnabled==True"}
	return c.query(q)
}

// Mistakes.
func (c *Client) Broken() (*Page, error) {
	q := map[string]string{"type": "Job", "filter": "Platform==VSphere"}
	u := c.base + "/api/query?type=BackupJobSession&filter=Result==Failed;State==Stoped"
	return c.query(q), c.get(u)
}
