<!DOCTYPE html>
<html dir="ltr" lang="vi-VN">
<head><meta name="GENERATOR" content="Microsoft SharePoint" /><meta http-equiv="Content-type" content="text/html; charset=utf-8" />
<meta http-equiv="X-UA-Compatible" content="IE=10" />
<title>
	Phường Hoà An ra quân hưởng ứng Ngày Môi trường thế giới
</title>
<link rel="canonical" href="{{BASE}}/portal/pages/2025-06-12/phuong-hoa-an-ra-quan-huong-ung-ngay-moi-truong-the-gioi-1187.aspx" />
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
<div class="news-detail">
  <h2 class="news-title">Phường Hoà An ra quân hưởng ứng Ngày Môi trường thế giới</h2>
  <div class="news-date">Ngày 12/06/2025 - 09:05</div>
  
  <div class="news-content"><div class="ms-rtestate-field">
<p class="ms-rteElement-P">Sáng 08/6, UBND phường Hoà An phối hợp với Ủy ban MTTQ Việt Nam phường tổ chức ra quân hưởng ứng Ngày Môi trường thế giới năm 2025 với sự tham gia của hơn 300 đoàn viên, hội viên và Nhân dân.</p>
<p style="text-align: center;"><img src="/PublishingImages/TinTuc/moitruong2025.jpg" alt="moitruong2025" style="width: 600px;" /></p><p class="ms-rteElement-Caption" style="text-align: center;"><em>Đoàn viên thanh niên thu gom rác ven sông.</em></p>
<p class="ms-rteElement-P">Các lực lượng đã tổng vệ sinh các tuyến kiệt, hẻm, khơi thông cống rãnh và thu gom hơn 2 tấn rác thải dọc bờ sông Cẩm Lệ. Dịp này, phường phát động cuộc thi “Tổ dân phố xanh - sạch - đẹp” năm 2025.</p>
<p style="text-align: right;"><strong>Thanh Hà</strong></p>
  </div></div>
  
  <div class="news-tools"><span>Lượt xem: 245</span> | <a href="/portal/pages/2025-06-12/phuong-hoa-an-ra-quan-huong-ung-ngay-moi-truong-the-gioi-1187.aspx?PrintView=1">In trang</a> | <a href="mailto:ubndphuonghoaan@danang.gov.vn?subject=Phan%20hoi">Gửi phản hồi</a> | <a href="/portal/pages/2025-06-12/phuong-hoa-an-ra-quan-huong-ung-ngay-moi-truong-the-gioi-1187.aspx?utm_source=facebook&amp;utm_medium=social&amp;fbclid=IwAR2x">Chia sẻ</a></div>
  <div class="news-other"><div class="box-title">Tin cùng chuyên mục</div><ul><li><a href="/portal/pages/2025-03-05/gap-mat-ky-niem-115-nam-ngay-quoc-te-phu-nu-8-3-1150.aspx">Gặp mặt kỷ niệm 115 năm Ngày Quốc tế Phụ nữ 8/3</a> <span>(05/03/2025)</span></li><li><a href="/Pages/noi-dung-tin.aspx?NewsID=1061">Ngày hội Đại đoàn kết toàn dân tộc ở tổ dân phố 12</a> <span>(08/11/2024)</span></li><li><a href="/Pages/noi-dung-tin.aspx?NewsID=988">Tập huấn phân loại rác tại nguồn cho hội viên phụ nữ</a> <span>(14/06/2024)</span></li></ul></div>
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
