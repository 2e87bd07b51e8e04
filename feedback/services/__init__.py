"""Use cases between the blueprints and the models. Services own their transactions."""
