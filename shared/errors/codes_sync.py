"""Sync, device registry and relay codes (ERR_44xx): 440x sync, 441x devices, 442x relay."""

from shared.errors import Code, Status

CODES = {
    "ERR_4400": Code(
        Status.FAILED_PRECONDITION,
        en="Sync needs the sync add-on. Buy {productId} to turn it on.",
        tr="Eşitleme için sync eklentisi gerekli. Açmak için {productId} satın alın.",
        es="La sincronización necesita el complemento sync. Compra {productId} para activarla.",
    ),
    "ERR_4401": Code(
        Status.INVALID_ARGUMENT,
        en="Too many changes in one push: {count} (at most {max}).",
        tr="Bir gönderimde çok fazla değişiklik: {count} (en fazla {max}).",
        es="Demasiados cambios en un envío: {count} (como máximo {max}).",
    ),
    "ERR_4402": Code(
        Status.INVALID_ARGUMENT,
        en="Entry {id} is too large: {size} bytes (at most {max}).",
        tr="{id} kaydı çok büyük: {size} bayt (en fazla {max}).",
        es="La entrada {id} es demasiado grande: {size} bytes (como máximo {max}).",
    ),
    "ERR_4403": Code(
        Status.INVALID_ARGUMENT,
        en="{field} is not valid base64.",
        tr="{field} geçerli bir base64 değil.",
        es="{field} no es base64 válido.",
    ),
    "ERR_4404": Code(
        Status.INVALID_ARGUMENT,
        en="The vector clock of {id} is invalid: {reason}.",
        tr="{id} kaydının vektör saati geçersiz: {reason}.",
        es="El reloj vectorial de {id} no es válido: {reason}.",
    ),
    "ERR_4405": Code(
        Status.INVALID_ARGUMENT,
        en="The vector clock of {id} names {size} devices (at most {max}).",
        tr="{id} kaydının vektör saati {size} cihaz içeriyor (en fazla {max}).",
        es="El reloj vectorial de {id} nombra {size} dispositivos (como máximo {max}).",
    ),
    "ERR_4406": Code(
        Status.INVALID_ARGUMENT,
        en="Entry {id} appears more than once in this push.",
        tr="{id} kaydı bu gönderimde birden fazla kez geçiyor.",
        es="La entrada {id} aparece más de una vez en este envío.",
    ),
    "ERR_4407": Code(
        Status.FAILED_PRECONDITION,
        en="This device is too far behind: a full resync is required.",
        tr="Bu cihaz çok geride kaldı: tam bir yeniden eşitleme gerekiyor.",
        es="Este dispositivo está demasiado atrasado: hace falta una resincronización completa.",
    ),
    "ERR_4412": Code(
        Status.INVALID_ARGUMENT,
        en="The integrity check request is invalid: {reason}.",
        tr="Bütünlük denetimi isteği geçersiz: {reason}.",
        es="La solicitud de comprobación de integridad no es válida: {reason}.",
    ),
    "ERR_4410": Code(
        Status.NOT_FOUND,
        en="This device is not registered to your account.",
        tr="Bu cihaz hesabınıza kayıtlı değil.",
        es="Este dispositivo no está registrado en tu cuenta.",
    ),
    "ERR_4411": Code(
        Status.FAILED_PRECONDITION,
        en="You already have {max} devices. Remove one to add another.",
        tr="Zaten {max} cihazınız var. Yenisini eklemek için birini kaldırın.",
        es="Ya tienes {max} dispositivos. Elimina uno para añadir otro.",
    ),
    "ERR_4420": Code(
        Status.NOT_FOUND,
        en="This relay request does not exist.",
        tr="Bu aktarma isteği yok.",
        es="Esta solicitud de retransmisión no existe.",
    ),
    "ERR_4421": Code(
        Status.FAILED_PRECONDITION,
        en="The target device is offline.",
        tr="Hedef cihaz çevrim dışı.",
        es="El dispositivo de destino no está conectado.",
    ),
    "ERR_4422": Code(
        Status.ALREADY_EXISTS,
        en="This nonce was already used. Encrypt again with a fresh nonce.",
        tr="Bu nonce zaten kullanıldı. Yeni bir nonce ile tekrar şifreleyin.",
        es="Este nonce ya se usó. Vuelve a cifrar con un nonce nuevo.",
    ),
    "ERR_4423": Code(
        Status.PERMISSION_DENIED,
        en="Only the {role} device of this relay request may do this.",
        tr="Bunu yalnızca bu aktarma isteğinin {role} cihazı yapabilir.",
        es="Solo el dispositivo {role} de esta solicitud de retransmisión puede hacer esto.",
    ),
    "ERR_4424": Code(
        Status.FAILED_PRECONDITION,
        en="This relay request is {status}, not awaiting an answer.",
        tr="Bu aktarma isteğinin durumu {status}; yanıt beklemiyor.",
        es="Esta solicitud de retransmisión está en estado {status} y no espera respuesta.",
    ),
    "ERR_4425": Code(
        Status.FAILED_PRECONDITION,
        en="This relay request has expired.",
        tr="Bu aktarma isteğinin süresi doldu.",
        es="Esta solicitud de retransmisión ha caducado.",
    ),
    "ERR_4426": Code(
        Status.INVALID_ARGUMENT,
        en="{field} must be {min} to {max} bytes, not {size}.",
        tr="{field} {min} ile {max} bayt arasında olmalı, {size} değil.",
        es="{field} debe tener entre {min} y {max} bytes, no {size}.",
    ),
    "ERR_4427": Code(
        Status.INVALID_ARGUMENT,
        en="A device cannot relay a request to itself.",
        tr="Bir cihaz kendisine istek aktaramaz.",
        es="Un dispositivo no puede retransmitirse una solicitud a sí mismo.",
    ),
}
