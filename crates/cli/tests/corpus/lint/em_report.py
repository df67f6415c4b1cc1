"""Nightly report of Veeam sessions from Enterprise Manager."""
import datetime
import requests

EM = "https://em01.corp.local:9398/api"


def query(session, params):
    return session.get(f"{EM}/query", params=params, timeout=30).json()


def failed_backups(session, since):
    # Correct: the type is beside the filter.
    params = {"type": "BackupJobSession", "filter": "Result==Failed;JobType==Backup", "format": "Entities"}
    return query(session, params)


def jobs(session):
    params = {
        "type": "Job",
        "filter": "JobType==Backup;ScheduleEnabled==True",
    }
    return query(session, params)


def replicas_of(session, job):
    url = f"{EM}/query?type=ReplicaJobSession&filter=JobName==%22{job['name']}%22;Result!=Success"
    return session.get(url).json()


def old_style(session, job, em=EM):
    url = "%s/query?type=ReplicaJobSession&filter=JobName==%%22%s%%22" % (em, job)
    url2 = "{}/query?type=ReplicaJobSession&filter=JobName==%22{}%22".format(em, job)
    return session.get(url).json(), session.get(url2).json()


def mistakes(session):
    a = {"type": "Job", "filter": "JobType==backup"}
    b = {"type": "BackupJobSesion", "filter": "Result==Failed"}
    c = {"type": "BackupJobSession", "filter": "CreationTime>='2025-01-01T00:00:00Z'"}
    d = session.get(f"{EM}/query?type=BackupJobSession&filter=CreationTime>=2025-02-18T14:16:31").json()
    return a, b, c, d
