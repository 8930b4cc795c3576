"""Platform codes: protocol, auth, idempotency, shared client, upstream and system errors."""

from shared.errors import Code, Status

CODES = {
    "ERR_4000": Code(
        Status.INVALID_ARGUMENT,
        en="Invalid request: {reason}",
        tr="Geçersiz istek: {reason}",
        es="Solicitud no válida: {reason}",
    ),
    "ERR_4001": Code(
        Status.FAILED_PRECONDITION,
        en="Not enough credits: {required} required, {available} available.",
        tr="Yetersiz kredi: {required} gerekli, {available} mevcut.",
        es="Créditos insuficientes: se necesitan {required}, hay {available} disponibles.",
    ),
    "ERR_4002": Code(
        Status.FAILED_PRECONDITION,
        en="This model is not available right now.",
        tr="Bu model şu anda kullanılamıyor.",
        es="Este modelo no está disponible en este momento.",
    ),
    "ERR_4003": Code(
        Status.INVALID_ARGUMENT,
        en="The prompt is invalid: {reason}",
        tr="İstem geçersiz: {reason}",
        es="La instrucción no es válida: {reason}",
    ),
    "ERR_4004": Code(
        Status.RESOURCE_EXHAUSTED,
        en="Too many requests. Try again in {seconds} seconds.",
        tr="Çok fazla istek. {seconds} saniye sonra tekrar deneyin.",
        es="Demasiadas solicitudes. Inténtalo de nuevo en {seconds} segundos.",
    ),
    "ERR_4010": Code(
        Status.INVALID_ARGUMENT,
        en="Bad request: {reason}",
        tr="Hatalı istek: {reason}",
        es="Solicitud incorrecta: {reason}",
    ),
    "ERR_4011": Code(
        Status.UNAUTHENTICATED,
        en="Sign-in required.",
        tr="Giriş yapmanız gerekiyor.",
        es="Es necesario iniciar sesión.",
    ),
    "ERR_4012": Code(
        Status.UNAUTHENTICATED,
        en="The sign-in token is invalid.",
        tr="Oturum belirteci geçersiz.",
        es="El token de inicio de sesión no es válido.",
    ),
    "ERR_4013": Code(
        Status.UNAUTHENTICATED,
        en="The sign-in token has expired. Sign in again.",
        tr="Oturum belirtecinin süresi doldu. Lütfen tekrar giriş yapın.",
        es="El token de inicio de sesión ha caducado. Vuelve a iniciar sesión.",
    ),
    "ERR_4014": Code(
        Status.PERMISSION_DENIED,
        en="You are not allowed to do this.",
        tr="Bu işlem için yetkiniz yok.",
        es="No tienes permiso para hacer esto.",
    ),
    "ERR_4015": Code(
        Status.INVALID_ARGUMENT,
        en="The request is too large (at most {limit} bytes).",
        tr="İstek çok büyük (en fazla {limit} bayt).",
        es="La solicitud es demasiado grande (como máximo {limit} bytes).",
    ),
    "ERR_4016": Code(
        Status.NOT_FOUND,
        en="Not found: {what}.",
        tr="Bulunamadı: {what}.",
        es="No encontrado: {what}.",
    ),
    "ERR_4017": Code(
        Status.ALREADY_EXISTS,
        en="This idempotency key was already used for a different request.",
        tr="Bu tekrar anahtarı farklı bir istek için zaten kullanıldı.",
        es="Esta clave de idempotencia ya se usó para otra solicitud.",
    ),
    "ERR_4018": Code(
        Status.INVALID_ARGUMENT,
        en="An idempotency key is required.",
        tr="Bir tekrar anahtarı (idempotency key) gerekli.",
        es="Se requiere una clave de idempotencia.",
    ),
    "ERR_4019": Code(
        Status.PERMISSION_DENIED,
        en="This account is suspended.",
        tr="Bu hesap askıya alındı.",
        es="Esta cuenta está suspendida.",
    ),
    "ERR_4020": Code(
        Status.UNAUTHENTICATED,
        en="The request signature is invalid.",
        tr="İstek imzası geçersiz.",
        es="La firma de la solicitud no es válida.",
    ),
    "ERR_4031": Code(
        Status.UNAUTHENTICATED,
        en="You were signed out. Sign in again.",
        tr="Oturumunuz kapatıldı. Lütfen tekrar giriş yapın.",
        es="Se cerró tu sesión. Vuelve a iniciar sesión.",
    ),
    "ERR_4032": Code(
        Status.UNAUTHENTICATED,
        en="This account was deleted or disabled.",
        tr="Bu hesap silindi veya devre dışı bırakıldı.",
        es="Esta cuenta se eliminó o se desactivó.",
    ),
    "ERR_4033": Code(
        Status.UNAUTHENTICATED,
        en="This app could not be verified (App Check). Update the app and try again.",
        tr="Bu uygulama doğrulanamadı (App Check). Uygulamayı güncelleyip tekrar deneyin.",
        es="No se pudo verificar esta app (App Check). Actualiza la app e inténtalo de nuevo.",
    ),
    "ERR_4034": Code(
        Status.UNAUTHENTICATED,
        en="This App Check token was already used. Get a new one and try again.",
        tr="Bu App Check belirteci zaten kullanıldı. Yenisini alıp tekrar deneyin.",
        es="Este token de App Check ya se usó. Obtén uno nuevo e inténtalo de nuevo.",
    ),
    "ERR_5001": Code(
        Status.DEADLINE_EXCEEDED,
        en="The provider did not answer in time. Your credits were not charged.",
        tr="Sağlayıcı zamanında yanıt vermedi. Kredileriniz düşülmedi.",
        es="El proveedor no respondió a tiempo. No se cobraron tus créditos.",
    ),
    "ERR_5002": Code(
        Status.UNAVAILABLE,
        en="The provider is unavailable. Try again later.",
        tr="Sağlayıcı şu anda kullanılamıyor. Daha sonra tekrar deneyin.",
        es="El proveedor no está disponible. Inténtalo más tarde.",
    ),
    "ERR_5003": Code(
        Status.FAILED_PRECONDITION,
        en="The provider refused the request.",
        tr="Sağlayıcı isteği reddetti.",
        es="El proveedor rechazó la solicitud.",
    ),
    "ERR_6001": Code(
        Status.INTERNAL,
        en="Something went wrong on our side. Try again.",
        tr="Bizim tarafımızda bir sorun oluştu. Tekrar deneyin.",
        es="Algo salió mal por nuestra parte. Inténtalo de nuevo.",
    ),
    "ERR_6002": Code(
        Status.ABORTED,
        en="The service is busy with a conflicting change. Try again.",
        tr="Hizmet çakışan bir değişiklikle meşgul. Tekrar deneyin.",
        es="El servicio está ocupado con un cambio en conflicto. Inténtalo de nuevo.",
    ),
    "ERR_6003": Code(
        Status.INTERNAL,
        en="The service is misconfigured.",
        tr="Hizmet yanlış yapılandırılmış.",
        es="El servicio está mal configurado.",
    ),
}
