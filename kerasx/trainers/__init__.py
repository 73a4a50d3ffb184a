"""Training, evaluation and prediction loops behind keras.Model."""
