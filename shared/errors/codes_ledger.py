"""Ledger and session codes (ERR_41xx). Not enough credits is the platform's ERR_4001."""

from shared.errors import Code, Status

CODES = {
    "ERR_4101": Code(
        Status.INVALID_ARGUMENT,
        en="The pledge must be a whole number of credits from {min} to {max}.",
        tr="Taahhüt {min} ile {max} arasında tam sayı kredi olmalıdır.",
        es="La apuesta debe ser un número entero de créditos entre {min} y {max}.",
    ),
    "ERR_4102": Code(
        Status.INVALID_ARGUMENT,
        en="The duration must be from {min} to {max} minutes.",
        tr="Süre {min} ile {max} dakika arasında olmalıdır.",
        es="La duración debe estar entre {min} y {max} minutos.",
    ),
    "ERR_4103": Code(
        Status.FAILED_PRECONDITION,
        en="You already have an active session. Finish it before starting another.",
        tr="Zaten etkin bir oturumunuz var. Yenisini başlatmadan önce onu bitirin.",
        es="Ya tienes una sesión activa. Termínala antes de empezar otra.",
    ),
    "ERR_4104": Code(
        Status.NOT_FOUND,
        en="Session not found.",
        tr="Oturum bulunamadı.",
        es="No se encontró la sesión.",
    ),
    "ERR_4105": Code(
        Status.FAILED_PRECONDITION,
        en="This session has expired and is settled automatically.",
        tr="Bu oturumun süresi doldu; otomatik olarak sonuçlandırılır.",
        es="Esta sesión ha caducado y se liquida automáticamente.",
    ),
    "ERR_4106": Code(
        Status.ALREADY_EXISTS,
        en="This session was already resolved ({status}).",
        tr="Bu oturum zaten sonuçlandırıldı ({status}).",
        es="Esta sesión ya se resolvió ({status}).",
    ),
    "ERR_4107": Code(
        Status.FAILED_PRECONDITION,
        en="This session is no longer active ({status}).",
        tr="Bu oturum artık etkin değil ({status}).",
        es="Esta sesión ya no está activa ({status}).",
    ),
    "ERR_4108": Code(
        Status.INVALID_ARGUMENT,
        en="The page cursor is invalid. Start again from the first page.",
        tr="Sayfa imleci geçersiz. İlk sayfadan yeniden başlayın.",
        es="El cursor de página no es válido. Empieza de nuevo desde la primera página.",
    ),
}
