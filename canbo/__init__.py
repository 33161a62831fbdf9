"""canbo: Hệ thống quản lý công tác cán bộ."""
