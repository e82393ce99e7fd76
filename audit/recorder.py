"""Records every create, update and delete of the records listed in privacy.records (and of
users and organisations) as an AuditEntry, whatever wrote it: a service, the admin, a task.

This lives in model signals on purpose: it is not business logic but a record of every
write, and a signal is the one hook that no write path can forget. The before-values are
read in pre_save, one query per update; writes are rare beside reads.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model, signals
from django.db.models.fields.files import FieldFile

from casemgmt.plain import plain
from privacy.records import RECORDS, owners_of

from . import context
from .models import AuditAction, AuditEntry

# Users and organisations are not client records, but who may see what hangs on them.
EXTRA_AUDITED = ["accounts.User", "accounts.Organisation"]
# Fields that change on their own or are kept elsewhere: noise in a history.
SKIPPED = {"updated_at", "created_at", "last_login"}
# Fields whose values must never be copied into the trail: only that they changed.
HIDDEN = {"password", "key"}
ERASED = "(erased)"


def audited_labels() -> list[str]:
    return [r.label for r in RECORDS if r.audited] + EXTRA_AUDITED


def _fields(model: type[Model]) -> list[Any]:
    return [f for f in model._meta.concrete_fields
            if f.name not in SKIPPED and not getattr(f, "auto_now", False)
            and not getattr(f, "auto_now_add", False) and not f.primary_key]


def _values(instance: Model) -> dict[str, Any]:
    return {f.attname: getattr(instance, f.attname) for f in _fields(type(instance))}


def _diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    changes: dict[str, list[Any]] = {}
    for name in after.keys() | before.keys():
        old, new = before.get(name), after.get(name)
        old = old.name if isinstance(old, FieldFile) else old
        new = new.name if isinstance(new, FieldFile) else new
        if old == new or (old in (None, "") and new in (None, "")):
            continue
        if name in HIDDEN:
            changes[name] = ["(hidden)", "(changed)"]
        else:
            changes[name] = [plain(old), plain(new)]
    return changes


def _write(instance: Model, action: str, changes: dict[str, list[Any]],
           owners: tuple[int | None, int | None] | None = None) -> None:
    scope = context.current()
    if scope.erasing:
        changes = {name: [ERASED, ERASED] for name in changes}
    client_id, case_id = owners if owners is not None else owners_of(instance)
    AuditEntry.objects.create(
        actor=scope.actor, actor_label=scope.actor_label[:150], ip=scope.ip,
        action=action, model=instance._meta.label, object_id=str(instance.pk),
        object_repr=(f"{instance._meta.verbose_name} {instance.pk}" if scope.erasing
                     else str(instance))[:200],
        client_id=client_id, case_id=case_id,
        changes=changes,
    )


def _before_save(sender: type[Model], instance: Model, raw: bool = False, **kwargs: Any) -> None:
    if raw or instance._state.adding or instance.pk is None:
        instance._audit_before = None
        return
    names = [f.attname for f in _fields(sender)]
    instance._audit_before = sender._base_manager.filter(pk=instance.pk).values(*names).first()


def _after_save(sender: type[Model], instance: Model, created: bool, raw: bool = False,
                **kwargs: Any) -> None:
    if raw:
        return
    before = getattr(instance, "_audit_before", None)
    if created or before is None:
        _write(instance, AuditAction.CREATE, _diff({}, _values(instance)))
        return
    changes = _diff(before, _values(instance))
    if changes:
        _write(instance, AuditAction.UPDATE, changes)


def _before_delete(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    instance._audit_owners = owners_of(instance)


def _after_delete(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    _write(instance, AuditAction.DELETE, _diff(_values(instance), {}),
           owners=getattr(instance, "_audit_owners", None))


def connect() -> None:
    from django.apps import apps

    for label in audited_labels():
        model = apps.get_model(label)
        uid = f"audit:{label}"
        signals.pre_save.connect(_before_save, sender=model, dispatch_uid=uid)
        signals.post_save.connect(_after_save, sender=model, dispatch_uid=uid)
        signals.pre_delete.connect(_before_delete, sender=model, dispatch_uid=uid)
        signals.post_delete.connect(_after_delete, sender=model, dispatch_uid=uid)
