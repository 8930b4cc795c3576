"""Google Play: the Play Developer API, real-time developer notifications, Pub/Sub push auth."""
