"""Bluesky's video service in the sandbox (``app.bsky.video.*``), and the PDS calls it needs.

``com.atproto.server.getServiceAuth`` issues service tokens (``aud``, ``lxm``, ``exp``);
``com.atproto.server.getSession`` gives the DID document naming the PDS (the sandbox itself).
The video service, on the same address (``bluesky.video_url``): ``getUploadLimits`` (a token
for ``did:web:<video host>``; 25 videos a day), ``uploadVideo?did=&name=`` (a token for the
PDS with ``lxm`` ``com.atproto.repo.uploadBlob``; the body an MP4 of at most 300,000,000 bytes;
the same bytes again: 409 ``already_exists`` with the job's id), ``getJobStatus?jobId=``:
``JOB_STATE_ENCODING`` for ``POLLS_KEY`` looks (2), then ``JOB_STATE_COMPLETED`` with the blob,
now a blob of the PDS a post can embed; a rehearsal makes it fail with
``state.extras[FAIL_KEY] = "reason"``. Only uploads up to 16 MB are kept byte for byte (tests
read them back); larger ones keep their size, SHA-256 and whether location atoms were seen.

Registered by ``bluesky_api`` (its routes and rate window).
"""

from __future__ import annotations

import hashlib
import itertools
from datetime import timedelta
from typing import Any
from urllib.parse import quote

from connectors.sandbox.server import Reply, Request
from connectors.sandbox.state import SandboxState

PLATFORM = "bluesky"
JOBS_KEY = "bluesky.video_jobs"
TOKENS_KEY = "bluesky.service_tokens"
FAIL_KEY = "bluesky_video_processing_failure"  # a reason: the next upload's job fails
POLLS_KEY = "bluesky_video_processing_polls"
PROCESSING_POLLS = 2
MAX_VIDEO_BYTES = 300_000_000  # app.bsky.embed.video: video maxSize
VIDEOS_PER_DAY = 25
KEEP_BYTES = 16 * 1024 * 1024
LOCATION_MARKERS = (b"\xa9xyz", b"ISO6709")
UPLOAD_BLOB = "com.atproto.repo.uploadBlob"
_serial = itertools.count(1)


def _error(status: int, error: str, message: str) -> Reply:
    return Reply(status, {"error": error, "message": message})


def _tokens(state: SandboxState) -> dict[str, dict[str, Any]]:
    return state.extras.setdefault(TOKENS_KEY, {})


def _jobs(state: SandboxState) -> dict[str, dict[str, Any]]:
    return state.extras.setdefault(JOBS_KEY, {})


def _host_did(request: Request) -> str:
    return "did:web:" + quote(request.header("Host") or "", safe="")


def service_auth(state: SandboxState, request: Request, did: str) -> Reply:
    aud, lxm = request.arg("aud") or "", request.arg("lxm") or ""
    if not aud.startswith("did:"):
        return _error(400, "InvalidRequest", "aud must be a DID")
    exp = int(request.arg("exp") or 0) or int(state.now().timestamp()) + 60
    token = f"bsky-service-{next(_serial)}"
    _tokens(state)[token] = {"aud": aud, "lxm": lxm, "exp": exp, "did": did}
    return Reply(200, {"token": token})


def session(state: SandboxState, request: Request, did: str, handle: str) -> Reply:
    base = f"http://{request.header('Host')}"
    return Reply(
        200,
        {
            "handle": handle,
            "did": did,
            "email": "pio@springfield.example",
            "emailConfirmed": True,
            "didDoc": {
                "@context": ["https://www.w3.org/ns/did/v1"],
                "id": did,
                "alsoKnownAs": [f"at://{handle}"],
                "service": [
                    {
                        "id": "#atproto_pds",
                        "type": "AtprotoPersonalDataServer",
                        "serviceEndpoint": base,
                    }
                ],
            },
            "active": True,
        },
    )


def _service_token(
    state: SandboxState, request: Request, lxm: str, aud: str
) -> tuple[dict[str, Any] | None, Reply | None]:
    found = _tokens(state).get(request.token() or "")
    if found is None:
        return None, _error(401, "AuthMissing", "Authentication Required")
    if found["exp"] < state.now().timestamp():
        return None, _error(400, "ExpiredToken", "Token has expired")
    if found["lxm"] != lxm or found["aud"] != aud:
        return None, _error(401, "BadJwtAudience", "jwt audience or method does not match")
    return found, None


def upload_limits(state: SandboxState, request: Request) -> Reply:
    token, problem = _service_token(
        state, request, "app.bsky.video.getUploadLimits", _host_did(request)
    )
    if problem is not None:
        return problem
    assert token is not None
    since = state.now() - timedelta(days=1)
    used = [j for j in _jobs(state).values() if j["did"] == token["did"] and j["at"] >= since]
    left = VIDEOS_PER_DAY - len(used)
    answer: dict[str, Any] = {
        "canUpload": left > 0,
        "remainingDailyVideos": max(left, 0),
        "remainingDailyBytes": 10_000_000_000 - sum(j["size"] for j in used),
    }
    if left <= 0:
        answer["message"] = "You have reached your daily upload limit"
    return Reply(200, answer)


def upload_video(state: SandboxState, request: Request) -> Reply:
    token, problem = _service_token(state, request, UPLOAD_BLOB, _host_did(request))
    if problem is not None:
        return problem
    assert token is not None
    did = request.arg("did") or ""
    if did != token["did"]:
        return _error(400, "InvalidRequest", "did does not match the token's issuer")
    if (request.header("Content-Type") or "") != "video/mp4":
        return _error(400, "InvalidRequest", "Content-Type must be video/mp4")
    data = request.body
    if not data:
        return _error(400, "InvalidRequest", "Request body is empty")
    if len(data) > MAX_VIDEO_BYTES:
        return _error(400, "InvalidRequest", f"Video is over {MAX_VIDEO_BYTES} bytes")
    digest = hashlib.sha256(data).hexdigest()
    for job in _jobs(state).values():
        if job["did"] == did and job["sha256"] == digest and job["state"] != "JOB_STATE_FAILED":
            return Reply(
                409,
                {
                    "error": "already_exists",
                    "message": "Video already processed",
                    "jobId": job["id"],
                },
            )
    job_id = f"job-{next(_serial):06d}-{digest[:12]}"
    cid = "bafkrei" + digest[:52]
    _jobs(state)[job_id] = {
        "id": job_id,
        "did": did,
        "name": request.arg("name") or "",
        "sha256": digest,
        "size": len(data),
        "cid": cid,
        "data": data if len(data) <= KEEP_BYTES else b"",
        "markers": sorted(m.decode("latin-1") for m in LOCATION_MARKERS if m in data),
        "state": "JOB_STATE_CREATED",
        "polls": 0,
        "failure": state.extras.pop(FAIL_KEY, None),
        "at": state.now(),
    }
    return Reply(200, {"jobStatus": _status(_jobs(state)[job_id])})


def job_status(state: SandboxState, request: Request) -> Reply:
    job = _jobs(state).get(request.arg("jobId") or "")
    if job is None:
        return _error(404, "NotFound", "Job not found")
    if job["state"] not in ("JOB_STATE_COMPLETED", "JOB_STATE_FAILED"):
        job["polls"] += 1
        if job["polls"] >= int(state.extras.get(POLLS_KEY, PROCESSING_POLLS)):
            job["state"] = "JOB_STATE_FAILED" if job["failure"] else "JOB_STATE_COMPLETED"
            if job["state"] == "JOB_STATE_COMPLETED":
                # The service stores the processed video on the account's PDS as a blob.
                state.add_media(
                    PLATFORM,
                    job["data"],
                    "video/mp4",
                    media_id=job["cid"],
                    extra={
                        "cid": job["cid"],
                        "size": job["size"],
                        "sha256": job["sha256"],
                        "location_markers": job["markers"],
                    },
                )
        else:
            job["state"] = "JOB_STATE_ENCODING"
    return Reply(200, {"jobStatus": _status(job)})


def _status(job: dict[str, Any]) -> dict[str, Any]:
    status: dict[str, Any] = {"jobId": job["id"], "did": job["did"], "state": job["state"]}
    if job["state"] == "JOB_STATE_COMPLETED":
        status["progress"] = 100
        status["blob"] = {
            "$type": "blob",
            "ref": {"$link": job["cid"]},
            "mimeType": "video/mp4",
            "size": job["size"],
        }
    elif job["state"] == "JOB_STATE_FAILED":
        status["error"] = job["failure"]
        status["failureCode"] = "encoding_failure"
    else:
        status["progress"] = min(99, job["polls"] * 50)
    return status


def check_embed(state: SandboxState, embed: dict[str, Any]) -> tuple[list[str], Reply | None]:
    """The blobs an ``app.bsky.embed.video`` embed names (the video first), or the PDS's
    refusal of it."""
    invalid = "Invalid app.bsky.feed.post record: "
    video = embed.get("video") or {}
    cid = str((video.get("ref") or {}).get("$link") or "")
    item = state.get_media(PLATFORM, cid)
    if item is None or not item.mime_type.startswith("video/"):
        return [], _error(400, "InvalidRequest", f"Could not find blob: {cid}")
    names = [item.id]
    captions = embed.get("captions") or []
    if not isinstance(captions, list) or len(captions) > 20:
        return [], _error(400, "InvalidRequest", invalid + "Record/embed/captions is invalid")
    for caption in captions:
        ref = ((caption.get("file") or {}).get("ref") or {}).get("$link")
        track = state.get_media(PLATFORM, str(ref))
        if not caption.get("lang") or track is None:
            return [], _error(400, "InvalidRequest", f"Could not find blob: {ref}")
        if track.mime_type != "text/vtt" or len(track.data) > 20_000:
            return [], _error(
                400, "InvalidRequest", invalid + "Record/embed/captions/file is invalid"
            )
        names.append(track.id)
    ratio = embed.get("aspectRatio")
    if ratio is not None and not (
        isinstance(ratio.get("width"), int)
        and isinstance(ratio.get("height"), int)
        and ratio["width"] >= 1
        and ratio["height"] >= 1
    ):
        return [], _error(400, "InvalidRequest", invalid + "Record/embed/aspectRatio is invalid")
    state.set_alt_text(PLATFORM, item.id, str(embed.get("alt") or ""))
    return names, None
