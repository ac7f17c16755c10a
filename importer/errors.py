"""The one error the importer raises for input it cannot use, with a message in Chinese."""

from __future__ import annotations


class InputError(Exception):
    """An input file the importer cannot read: names the file and says why, in Chinese."""

    def __init__(self, name: str, reason: str | None = None):
        if reason is None:  # InputError("a.txt：……"): a message already written in full
            self.name, self.reason = "", name
            super().__init__(name)
            return
        self.name = name
        self.reason = reason
        super().__init__(f"无法导入“{name}”：{reason}")

    @classmethod
    def no_meetings(cls, name: str) -> InputError:
        """Return the error for a readable file in which no meeting was found."""
        return cls(name, "文中没有找到会议（如“【第5次常务会议】 6月8日，……”或会议纪要、任务分解表）。")
