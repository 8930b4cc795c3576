"""Account deletion and purchase recovery codes (46xx)."""

from shared.errors import Code, Status

CODES = {
    "ERR_4600": Code(
        Status.INVALID_ARGUMENT,
        en="Not an id this resync understands: {reason}",
        tr="Bu yeniden eşitlemenin anlamadığı bir kimlik: {reason}",
        es="No es un id que esta resincronización entienda: {reason}",
    ),
    "ERR_4601": Code(
        Status.NOT_FOUND,
        en="The store does not know {objectId}.",
        tr="Mağaza {objectId} kimliğini tanımıyor.",
        es="La tienda no conoce {objectId}.",
    ),
    "ERR_4602": Code(
        Status.FAILED_PRECONDITION,
        en="The {source} source is not configured.",
        tr="{source} kaynağı yapılandırılmamış.",
        es="La fuente {source} no está configurada.",
    ),
    "ERR_4603": Code(
        Status.INVALID_ARGUMENT,
        en="To delete the account, send confirm: true.",
        tr="Hesabı silmek için confirm: true gönderin.",
        es="Para eliminar la cuenta, envíe confirm: true.",
    ),
}
