"""The API's resources, one package each: its model, request bodies and blueprint.

`create-backend generate resource <Name>` adds a package here, its migration, its tests
and one line in `app/__init__.py`.
"""
