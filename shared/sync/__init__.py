"""End-to-end-encrypted sync between a user's devices.

Entries (`users/{uid}/sync_entries/{id}`) carry ciphertext the server never reads, a vector
clock, the client's updatedAt, a version, a deleted flag and `seq`: the user's sequence number
when the entry was last written, taken from `sync_state/{uid}` in the same transaction. Pulls
read `seq > cursor` in order, so a device paging while others push sees every change once.
Services: `push.push_changes`, `pull.pull_changes`, `status.get_status`,
`purge.purge_tombstones`.
"""
