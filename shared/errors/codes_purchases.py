"""App Store and Google Play purchase codes (ERR_42xx) and their upstream failures (ERR_51xx)."""

from shared.errors import Code, Status

CODES = {
    "ERR_4201": Code(
        Status.INVALID_ARGUMENT,
        en="This product is not sold here: {productId}.",
        tr="Bu ürün burada satılmıyor: {productId}.",
        es="Este producto no se vende aquí: {productId}.",
    ),
    "ERR_4202": Code(
        Status.INVALID_ARGUMENT,
        en="The purchase's signature could not be verified.",
        tr="Satın alma imzası doğrulanamadı.",
        es="No se pudo verificar la firma de la compra.",
    ),
    "ERR_4203": Code(
        Status.INVALID_ARGUMENT,
        en="The purchase data is malformed: {reason}",
        tr="Satın alma verisi hatalı: {reason}",
        es="Los datos de la compra están mal formados: {reason}",
    ),
    "ERR_4204": Code(
        Status.INVALID_ARGUMENT,
        en="This purchase belongs to another app.",
        tr="Bu satın alma başka bir uygulamaya ait.",
        es="Esta compra pertenece a otra aplicación.",
    ),
    "ERR_4205": Code(
        Status.INVALID_ARGUMENT,
        en="This purchase was made in the {environment} environment, which is not accepted here.",
        tr="Bu satın alma {environment} ortamında yapıldı; burada kabul edilmiyor.",
        es="Esta compra se hizo en el entorno {environment}, que aquí no se acepta.",
    ),
    "ERR_4206": Code(
        Status.ALREADY_EXISTS,
        en="This purchase is already linked to another account.",
        tr="Bu satın alma zaten başka bir hesaba bağlı.",
        es="Esta compra ya está vinculada a otra cuenta.",
    ),
    "ERR_4207": Code(
        Status.NOT_FOUND,
        en="The store does not know this purchase.",
        tr="Mağaza bu satın almayı tanımıyor.",
        es="La tienda no conoce esta compra.",
    ),
    "ERR_4208": Code(
        Status.INVALID_ARGUMENT,
        en="The receipt is invalid (status {status}).",
        tr="Makbuz geçersiz (durum {status}).",
        es="El recibo no es válido (estado {status}).",
    ),
    "ERR_4209": Code(
        Status.FAILED_PRECONDITION,
        en="This purchase is still pending. It will be applied once the payment completes.",
        tr="Bu satın alma hâlâ beklemede. Ödeme tamamlanınca uygulanacak.",
        es="Esta compra aún está pendiente. Se aplicará cuando se complete el pago.",
    ),
    "ERR_4210": Code(
        Status.FAILED_PRECONDITION,
        en="This purchase is no longer valid ({status}).",
        tr="Bu satın alma artık geçerli değil ({status}).",
        es="Esta compra ya no es válida ({status}).",
    ),
    "ERR_4211": Code(
        Status.INVALID_ARGUMENT,
        en="The store notification is malformed: {reason}",
        tr="Mağaza bildirimi hatalı: {reason}",
        es="La notificación de la tienda está mal formada: {reason}",
    ),
    "ERR_4212": Code(
        Status.UNAUTHENTICATED,
        en="The push request is not authenticated.",
        tr="Gönderim isteğinin kimliği doğrulanmadı.",
        es="La solicitud push no está autenticada.",
    ),
    "ERR_4213": Code(
        Status.UNAVAILABLE,
        en="This purchase is not linked to an account yet. Deliver it again later.",
        tr="Bu satın alma henüz bir hesaba bağlı değil. Daha sonra tekrar gönderin.",
        es="Esta compra aún no está vinculada a una cuenta. Vuelve a enviarla más tarde.",
    ),
    "ERR_5101": Code(
        Status.UNAVAILABLE,
        en="The App Store is unavailable. Try again later.",
        tr="App Store şu anda kullanılamıyor. Daha sonra tekrar deneyin.",
        es="La App Store no está disponible. Inténtalo más tarde.",
    ),
    "ERR_5102": Code(
        Status.UNAVAILABLE,
        en="Google Play is unavailable. Try again later.",
        tr="Google Play şu anda kullanılamıyor. Daha sonra tekrar deneyin.",
        es="Google Play no está disponible. Inténtalo más tarde.",
    ),
    "ERR_5103": Code(
        Status.INTERNAL,
        en="The App Store refused our request ({status}).",
        tr="App Store isteğimizi reddetti ({status}).",
        es="La App Store rechazó nuestra solicitud ({status}).",
    ),
    "ERR_5104": Code(
        Status.INTERNAL,
        en="Google Play refused our request ({status}).",
        tr="Google Play isteğimizi reddetti ({status}).",
        es="Google Play rechazó nuestra solicitud ({status}).",
    ),
}
