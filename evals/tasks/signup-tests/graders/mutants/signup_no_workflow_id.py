"""Sign-up: create the account, then send the welcome e-mail, as one durable workflow per address."""

from dbos import DBOS

import accounts
import mailer


@DBOS.step()
def create_account(email: str) -> str:
    return accounts.create(email)


@DBOS.step(retries_allowed=True, max_attempts=3, interval_seconds=0.05, backoff_rate=1.0)
def send_welcome(email: str) -> None:
    mailer.send(email, "Welcome!", "Thanks for signing up.")


@DBOS.workflow()
def signup_workflow(email: str) -> str:
    user_id = create_account(email)
    send_welcome(email)
    return user_id


def signup(email: str) -> str:
    """Sign up an address; signing it up again returns the first result."""
    return signup_workflow(email)
