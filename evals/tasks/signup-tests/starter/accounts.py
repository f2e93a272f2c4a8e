"""Client of the accounts service."""

import json
import os
import urllib.request


def create(email: str) -> str:
    """Create an account and return its user ID."""
    request = urllib.request.Request(
        os.environ.get("ACCOUNTS_URL", "http://accounts.internal/v1/accounts"),
        data=json.dumps({"email": email}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        return json.load(response)["user_id"]
