#!/bin/sh
# Nagios-style check of the last night's replica sessions.
set -eu
EM="${EM_URL:-https://em01.corp.local:9398/api}"
TOKEN=$(cat /run/secrets/em_token)

# Correct.
curl -sf -H "X-RestSvcSessionId: $TOKEN" "$EM/query?type=ReplicaJobSession&filter=Result==Failed;EndTime>=${SINCE}&pageSize=100"
curl -sf -G -H "X-RestSvcSessionId: $TOKEN" --data-urlencode 'filter=JobName=="SQL Replica";State==Working' "$EM/query?type=ReplicaJobSession"
curl -sf -H "X-RestSvcSessionId: $TOKEN" "$EM/query?type=ReplicaJobSession&filter=JobName==%22$(hostname -s)%20Replica%22"

# Mistakes.
curl -sf -H "X-RestSvcSessionId: $TOKEN" "$EM/query?type=ReplicaJobSession&filter=Result==Failed&State==Stopped"
curl -sf -H "X-RestSvcSessionId: $TOKEN" "$EM/query?type=ReplicaJobSession&filter=IsRetry==yes"
curl -sf -H "X-RestSvcSessionId: $TOKEN" "$EM/query?type=ReplicaJobSession&pageSize=0&filter=Result==Warning"
