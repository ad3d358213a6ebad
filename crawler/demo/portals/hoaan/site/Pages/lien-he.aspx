<!DOCTYPE html>
<html dir="ltr" lang="vi-VN">
<head><meta name="GENERATOR" content="Microsoft SharePoint" /><meta http-equiv="Content-type" content="text/html; charset=utf-8" />
<meta http-equiv="X-UA-Compatible" content="IE=10" />
<title>
	Liên hệ
</title>
<link rel="canonical" href="{{BASE}}/Pages/lien-he.aspx" />
<link rel="stylesheet" type="text/css" href="/_layouts/15/1066/styles/Themable/corev15.css?rev=2bpHeX9U8DH09TB5zpJcsQ%3D%3D" />
<script type="text/javascript" src="/_layouts/15/init.js?rev=ZBX%2BHz6ch8q0JVIz0tUfVw%3D%3D"></script>
</head>
<body>
<div id="s4-workspace"><div id="s4-bodyContainer">
<div class="header-portal">
  <div class="banner"><a href="/Pages/default.aspx"><img src="/PublishingImages/banner-hoaan.png" alt="Cổng thông tin điện tử phường Hòa An" /></a></div>
  <div class="welcome"><marquee>Chào mừng bạn đến với Cổng thông tin điện tử phường Hòa An, quận Cẩm Lệ</marquee><span class="ngay-thang">Hôm nay: 18/10/2024</span>
    <a href="/_layouts/15/Authenticate.aspx?Source=%2FPages%2Fdefault%2Easpx">Đăng nhập</a></div>
  <div class="top-menu"><ul class="root static">
    <li class="static"><a class="static menu-item" href="/Pages/default.aspx"><span class="menu-item-text">Trang chủ</span></a></li>
    <li class="static"><a class="static menu-item" href="/Pages/gioi-thieu.aspx"><span class="menu-item-text">Giới thiệu</span></a></li>
    <li class="static"><a class="static menu-item" href="/Pages/danh-sach-tin.aspx?CatID=3"><span class="menu-item-text">Tin hoạt động</span></a></li><li class="static"><a class="static menu-item" href="/Pages/danh-sach-tin.aspx?CatID=5"><span class="menu-item-text">Quốc phòng - An ninh</span></a></li>
    <li class="static"><a class="static menu-item" href="/Pages/van-ban.aspx"><span class="menu-item-text">Văn bản</span></a></li>
    <li class="static"><a class="static menu-item" href="/Pages/lien-he.aspx"><span class="menu-item-text">Liên hệ</span></a></li>
  </ul></div>
</div>
<div id="contentRow"><div class="main-content">
<div id="DeltaPlaceHolderMain">
<div class="box-title">Liên hệ</div><div class="ms-rtestate-field">
<p><strong>UBND phường Hòa An</strong></p>
<p>Địa chỉ: Số 25 đường Tôn Đản, phường Hòa An, quận Cẩm Lệ, thành phố Đà Nẵng</p>
<p>Điện thoại: 0236.3674.118 - Email: ubndphuonghoaan@danang.gov.vn</p>
</div>
</div>
</div>
<div class="right-content">
  <div class="box-right"><div class="box-title">Thống kê truy cập</div>
    <div class="box-body">Đang trực tuyến: 52<br />Hôm nay: 640<br />Lượt truy cập: 1.387.502</div></div>
</div></div>
<div class="footer-portal">
  <p>Bản quyền thuộc Ủy ban nhân dân phường Hòa An - Quận Cẩm Lệ</p>
  <p>Địa chỉ: Số 25 đường Tôn Đản, phường Hòa An, quận Cẩm Lệ, thành phố Đà Nẵng - Điện thoại: 0236.3674.118</p>
</div>
</div></div>
</body>
</html>
