class RemembersLoadedValues:
    """Remembers a few fields as they were loaded from the database (or last
    saved), so that what happens after a save can tell what the save changed
    without asking the database again."""

    remembered_fields = ()

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._remember()
        return instance

    def _remember(self):
        self._loaded_values = {name: self.__dict__.get(name) for name in self.remembered_fields}

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        self._remember()

    def loaded(self, name):
        """The field as loaded or last saved; as it is now for a record that
        was neither."""
        return getattr(self, "_loaded_values", {}).get(name, getattr(self, name))
