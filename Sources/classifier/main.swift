// Replaced by the real entry point in this same change series.
print("feedloop-classifier: not built yet")
