<!DOCTYPE html>
<html dir="ltr" lang="vi-VN">
<head><meta name="GENERATOR" content="Microsoft SharePoint" /><meta http-equiv="Content-type" content="text/html; charset=utf-8" />
<meta http-equiv="X-UA-Compatible" content="IE=10" />
<title>
	Diễn tập phương án chữa cháy và cứu nạn, cứu hộ tại khu dân cư
</title>
<link rel="canonical" href="{{BASE}}/portal/pages/2025-04-28/dien-tap-phuong-an-chua-chay-va-cuu-nan-cuu-ho-tai-khu-dan-cu-1172.aspx" />
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
  <h2 class="news-title">Diễn tập phương án chữa cháy và cứu nạn, cứu hộ tại khu dân cư</h2>
  
  
  <div class="news-content"><div class="ms-rtestate-field">
<p class="ms-rteElement-P">Công an phường Hòa An phối hợp với Đội Cảnh sát phòng cháy, chữa cháy và cứu nạn, cứu hộ khu vực Cẩm Lệ tổ chức diễn tập phương án chữa cháy và cứu nạn, cứu hộ tại tổ dân phố 27.</p>
<p class="ms-rteElement-P">Tình huống diễn tập giả định đám cháy xảy ra tại một nhà ở kết hợp kinh doanh, có người mắc kẹt trên tầng 2. Lực lượng tại chỗ của Tổ liên gia an toàn phòng cháy chữa cháy đã nhanh chóng dùng bình chữa cháy khống chế đám cháy, báo tin cho cơ quan chức năng và hướng dẫn người dân thoát nạn.</p>
<p style="text-align: right;"><em>Nguồn: Công an phường Hòa An</em></p>
  </div></div>
  
  <div class="news-tools"><span>Lượt xem: 245</span> | <a href="/portal/pages/2025-04-28/dien-tap-phuong-an-chua-chay-va-cuu-nan-cuu-ho-tai-khu-dan-cu-1172.aspx?PrintView=1">In trang</a> | <a href="mailto:ubndphuonghoaan@danang.gov.vn?subject=Phan%20hoi">Gửi phản hồi</a> | <a href="/portal/pages/2025-04-28/dien-tap-phuong-an-chua-chay-va-cuu-nan-cuu-ho-tai-khu-dan-cu-1172.aspx?utm_source=facebook&amp;utm_medium=social&amp;fbclid=IwAR2x">Chia sẻ</a></div>
  <div class="news-other"><div class="box-title">Tin cùng chuyên mục</div><ul><li><a href="/Pages/noi-dung-tin.aspx?NewsID=1093">Phường Hòa An ra mắt mô hình “Camera an ninh khu dân cư”</a> <span>(19/12/2024)</span></li><li><a href="/Pages/noi-dung-tin.aspx?NewsID=1024">Sơ kết 9 tháng công tác bảo đảm an ninh trật tự</a> <span>(30/09/2024)</span></li><li><a href="/Pages/noi-dung-tin.aspx?NewsID=951">Tháng cao điểm tuyên truyền về phòng cháy, chữa cháy</a> <span>(02/04/2024)</span></li></ul></div>
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
