"""Who each function runs as, and what that identity may do: least privilege, from the code.

One service account per area (a module of functions/: `fn-billing@…` runs every function of
functions/billing.py), never the default compute account. Its roles follow what the code its
module can reach by import does:
- Firestore (`roles/datastore.user`): every area, since every function reads or writes the store.
- Secret Manager: `secretAccessor` on each secret its functions read, on that secret only.
- Pub/Sub publisher: on the topics of its own event functions, if its code publishes
  (imports google.cloud.pubsub_v1).
- FCM (`firebasecloudmessaging.admin`) if its code sends (shared.fcm, our v1 client); Firebase
  Auth (`firebaseauth.admin`) if it writes custom claims (firebase_admin.auth).
- Run invoker on each of its own event and scheduled functions: it is also their Eventarc
  trigger identity, so only it can invoke them.
"""

import re
from dataclasses import dataclass

from shared.deploy.settings import libraries_used_by, module_of
from shared.web.functions import FunctionSpec

FIRESTORE_ROLE = "roles/datastore.user"
SECRET_ROLE = "roles/secretmanager.secretAccessor"
PUBLISHER_ROLE = "roles/pubsub.publisher"
INVOKER_ROLE = "roles/run.invoker"
BUILD_ROLE = "roles/cloudbuild.builds.builder"
# A library the code imports -> the project role that lets it work.
LIBRARY_ROLES = {
    "shared.fcm": "roles/firebasecloudmessaging.admin",  # our FCM v1 client (jobs, pokes)
    "firebase_admin.auth": "roles/firebaseauth.admin",
}
PUBLISHING_LIBRARY = "google.cloud.pubsub_v1"
# Builds the functions' containers (fresh projects no longer give the default compute account
# the rights Cloud Build needs).
BUILD_ACCOUNT = "fn-build"
# Google Play publishes real-time developer notifications as this account.
PLAY_PUBLISHER = "google-play-developer-notifications@system.gserviceaccount.com"


def email(account_id: str, project: str) -> str:
    return f"{account_id}@{project}.iam.gserviceaccount.com"


def member(account_email: str) -> str:
    return f"serviceAccount:{account_email}"


def area_of(function: str) -> str:
    """The area a function belongs to: its functions/ module (`billing`); `other` if unknown."""
    module = module_of(function)
    return module.removeprefix("functions.") if module else "other"


def account_id(area: str) -> str:
    """The service account id of an area (6-30 of [a-z0-9-], starting with a letter)."""
    name = "fn-" + re.sub(r"[^a-z0-9]+", "-", area.lower()).strip("-")
    return name[:30].rstrip("-").ljust(6, "x")


@dataclass(frozen=True)
class Area:
    """An area's identity and what it may do."""

    name: str
    account: str  # email
    specs: tuple[FunctionSpec, ...]
    project_roles: tuple[str, ...]
    secrets: tuple[str, ...]  # readable by this account, each on its own secret
    published_topics: tuple[str, ...]  # topics it may publish to


def project_roles(libraries: set[str] | None) -> tuple[str, ...]:
    """The project roles the code needs: Firestore, and each LIBRARY_ROLES it imports."""
    found = [FIRESTORE_ROLE]
    for library, role in LIBRARY_ROLES.items():
        if libraries is None or library in libraries:
            found.append(role)
    return tuple(found)


def publishes(libraries: set[str] | None) -> bool:
    return libraries is None or any(
        lib == PUBLISHING_LIBRARY or lib.startswith(f"{PUBLISHING_LIBRARY}.") for lib in libraries
    )


def areas(specs: list[FunctionSpec], project: str, secrets_of: dict[str, list[str]]) -> list[Area]:
    """The areas of the functions to deploy, each with its account and roles. `secrets_of`
    maps each function to the secrets attached to it."""
    grouped: dict[str, list[FunctionSpec]] = {}
    for spec in specs:
        grouped.setdefault(area_of(spec.name), []).append(spec)
    found = []
    for name, members in grouped.items():
        used = [libraries_used_by(s.name) for s in members]
        libraries = None if any(u is None for u in used) else set().union(*used)  # type: ignore[misc]
        topics = sorted({s.topic for s in members if s.kind == "event" and s.topic})
        found.append(
            Area(
                name=name,
                account=email(account_id(name), project),
                specs=tuple(members),
                project_roles=project_roles(libraries),
                secrets=tuple(sorted({n for s in members for n in secrets_of.get(s.name, [])})),
                published_topics=tuple(topics) if publishes(libraries) else (),
            )
        )
    return found
