"""Purchases from the App Store, Google Play and Stripe, and the entitlements they grant."""
